import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
export const SHARED_DATA = new URL('../../../shared/data/', import.meta.url).pathname;
