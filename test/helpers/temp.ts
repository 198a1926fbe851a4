import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';

/** A fresh temporary directory removed when the test file ends. */
export function tempDir(prefix = 'dailypapers-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export const FIXTURES = new URL('../fixtures/', import.meta.url).pathname;
export const SHARED_DATA = new URL('../../../shared/data/', import.meta.url).pathname;
