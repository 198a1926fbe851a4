import type Database from 'better-sqlite3';
import type { Write } from './busy-retry.ts';
import type { SqliteMembers } from './members.ts';
import { SqliteRepository } from './repository.ts';

/** An area that counts rate-limit hits (`members.countHits`) in the same immediate write transaction as its work. */
export abstract class SqliteMemberCounters extends SqliteRepository {
  constructor(
    db: Database.Database,
    protected readonly members: SqliteMembers,
    write: Write,
  ) {
    super(db, write);
  }

  /** Runs `work` as one immediate write transaction, retried while the database is busy. */
  protected immediate<T>(work: () => T): Promise<T> {
    const transaction = this.db.transaction(work);
    return this.write(() => transaction.immediate());
  }
}
