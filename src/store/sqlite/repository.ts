import type Database from 'better-sqlite3';
import type { Write } from './busy-retry.ts';

/**
 * A store area on SQLite: the connection its statements are prepared on (as a field of the area, from
 * `this.db`), and the store's write, which runs a write transaction and retries it while the database is busy.
 */
export abstract class SqliteRepository {
  constructor(
    protected readonly db: Database.Database,
    protected readonly write: Write,
  ) {}
}
