import type Database from 'better-sqlite3';
import type { RateLimitResult } from '../members.ts';
import type { RateLimitHit } from '../rate-limits.ts';
import type { NewSession, Sessions } from '../sessions.ts';
import type { Write } from './busy-retry.ts';
import type { SqliteMembers } from './members.ts';

const ALLOWED: RateLimitResult = { allowed: true, retryAfterSeconds: 0 };

export class SqliteSessions implements Sessions {
  constructor(
    private readonly db: Database.Database,
    private readonly members: SqliteMembers,
    private readonly write: Write,
  ) {}

  countAndStart(
    hits: readonly RateLimitHit[],
    now: Date,
    session: NewSession | null,
  ): Promise<RateLimitResult> {
    const countThenStart = this.db.transaction(() => {
      const refused = this.members.countHits(hits, now);
      if (refused) return refused;
      if (session)
        this.members.replaceSessionNow(
          session.endsTokenHash,
          session.tokenHash,
          session.memberId,
          session.expiresAt,
        );
      return ALLOWED;
    });
    return this.write(() => countThenStart.immediate());
  }

  replace(previousTokenHash: string | undefined, tokenHash: string, memberId: number, expiresAt: string) {
    const replace = this.db.transaction(() =>
      this.members.replaceSessionNow(previousTokenHash, tokenHash, memberId, expiresAt),
    );
    return this.write(() => replace.immediate());
  }
}
