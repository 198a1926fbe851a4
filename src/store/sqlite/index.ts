import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { Store } from '../store.ts';
import { KeywordSearchThreads } from './keyword-search-thread.ts';
import { migrate } from './migrate.ts';
import { CACHE_SHARE, cacheSizePragma, DEFAULT_CACHE_MB } from './page-cache.ts';
import { SqliteStore } from './sqlite-store.ts';
import { WriterWaitSignal } from './writer-wait-signal.ts';

/**
 * Tasks waiting for the keyword threads beyond which a search is refused with a 503 (see KeywordSearchThreads). A
 * search sends up to four (count, ranking, checks), so 64 lets 16 searches wait.
 */
const SEARCH_QUEUE_BOUNDS = { maxCostly: 8, maxWaiting: 64 };
/** How often the WAL is checkpointed on a search thread (never inside a commit: see checkpointEvery). */
const CHECKPOINT_EVERY_MS = 1_000;

/**
 * Opens (creating if needed) a SQLite database file, or ":memory:", and brings its schema up to date. `cacheMb` is the
 * page cache of all its connections together (see page-cache.ts).
 */
export async function openSqliteStore(path: string, options: { cacheMb?: number } = {}): Promise<Store> {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  const cacheMb = options.cacheMb ?? DEFAULT_CACHE_MB;
  try {
    db.pragma('busy_timeout = 5000');
    db.pragma(cacheSizePragma(cacheMb * CACHE_SHARE.main));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db);
    // From here on no call waits synchronously for the lock (it would stop the event loop): writes wait on a
    // timer instead (busy-retry.ts). Migrations above may wait, as the store is not serving yet.
    db.pragma('busy_timeout = 0');
  } catch (error) {
    db.close();
    throw error;
  }
  if (path === ':memory:') return new SqliteStore(db, null);
  const threads = new KeywordSearchThreads(
    { path, cacheMb: cacheMb * CACHE_SHARE.keywordThread },
    SEARCH_QUEUE_BOUNDS,
  );
  db.pragma('wal_autocheckpoint = 0');
  threads.checkpointEvery(CHECKPOINT_EVERY_MS);
  return new SqliteStore(db, threads, undefined, WriterWaitSignal.besideDatabase(resolve(path)));
}
