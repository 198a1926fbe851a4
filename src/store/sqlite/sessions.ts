import type Database from 'better-sqlite3';
import type { Sessions } from '../sessions.ts';
import type { Write } from './busy-retry.ts';
import type { SqliteMembers } from './members.ts';

export class SqliteSessions implements Sessions {
  constructor(
    private readonly db: Database.Database,
    private readonly members: SqliteMembers,
    private readonly write: Write,
  ) {}

  replace(previousTokenHash: string | undefined, tokenHash: string, memberId: number, expiresAt: string) {
    const replace = this.db.transaction(() =>
      this.members.replaceSessionNow(previousTokenHash, tokenHash, memberId, expiresAt),
    );
    return this.write(() => replace.immediate());
  }
}
