import type Database from 'better-sqlite3';
import type { Sessions } from '../sessions.ts';
import type { MemberQueries } from './members.ts';

export class SqliteSessions implements Sessions {
  constructor(
    private readonly db: Database.Database,
    private readonly members: MemberQueries,
    private readonly write: <T>(work: () => T) => Promise<T>,
  ) {}

  replace(previousTokenHash: string | undefined, tokenHash: string, memberId: number, expiresAt: string) {
    const replace = this.db.transaction(() => {
      if (previousTokenHash) this.members.deleteSession(previousTokenHash);
      this.members.createSession(tokenHash, memberId, expiresAt);
    });
    return this.write(() => replace.immediate());
  }
}
