import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * A fresh temporary directory removed when the test file's process exits (each test file runs in its own). Not on
 * node:test's `after`: called inside a hook, that runs when the hook ends, under the feet of what still uses it.
 */
export function tempDir(prefix = 'dailypapers-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (made.length === 0) {
    process.once('exit', () => {
      for (const path of made) rmSync(path, { recursive: true, force: true });
    });
  }
  made.push(dir);
  return dir;
}
const made: string[] = [];

export const FIXTURES = new URL('../fixtures/', import.meta.url).pathname;

/**
 * The large real data files (tens of MB, not in the repository) that a few tests read in full: from
 * `DAILYPAPERS_TEST_DATA`, else the data folder CI keeps beside the checkout. `skip` is the reason to skip a test
 * when the file is absent (node:test's `skip` option), false when it is there.
 */
export function sharedData(name: string): { path: string; skip: string | false } {
  const folder =
    process.env.DAILYPAPERS_TEST_DATA ?? new URL('../../../shared/data/', import.meta.url).pathname;
  const path = resolve(folder, name);
  const skip = existsSync(path) ? false : `needs ${name} (set DAILYPAPERS_TEST_DATA to its folder)`;
  return { path, skip };
}
