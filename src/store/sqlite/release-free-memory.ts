import Database from 'better-sqlite3';
import { loadBm25Extension } from './bm25-extension/index.ts';

/**
 * A function that gives the memory glibc's malloc holds free back to the operating system (`malloc_trim`, which
 * Node does not offer; our SQLite extension does, see bm25_df.c), on a connection of its own to an empty in-memory
 * database. Freed blocks amid ones in use stay resident otherwise: after a load at 80k papers some 20–55 MB of a web
 * process (docs/benchmarks.md, "Memory").
 */
export function freeMemoryReleaser(): () => void {
  const db = new Database(':memory:');
  loadBm25Extension(db);
  const release = db.prepare('SELECT release_free_memory()').pluck();
  return () => {
    release.get();
  };
}
