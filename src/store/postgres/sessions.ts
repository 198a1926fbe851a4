import type pg from 'pg';
import type { RateLimitResult } from '../members.ts';
import { ALLOWED, type RateLimitHit } from '../rate-limits.ts';
import type { NewSession, Sessions } from '../sessions.ts';
import type { PostgresMembers } from './members.ts';
import { inTransaction } from './transaction.ts';

export class PgSessions implements Sessions {
  constructor(
    private readonly pool: pg.Pool,
    private readonly members: PostgresMembers,
  ) {}

  countAndStart(
    hits: readonly RateLimitHit[],
    now: Date,
    session: NewSession | null,
  ): Promise<RateLimitResult> {
    return inTransaction(this.pool, async (client) => {
      const refused = await this.members.countHits(hits, now, client);
      if (refused) return refused;
      if (session) await this.replaceIn(client, session.endsTokenHash, session);
      return ALLOWED;
    });
  }

  replace(previousTokenHash: string | undefined, tokenHash: string, memberId: number, expiresAt: string) {
    return inTransaction(this.pool, (client) =>
      this.replaceIn(client, previousTokenHash, { tokenHash, memberId, expiresAt }),
    );
  }

  /** Ends `previousTokenHash`'s session and starts `session`, within the caller's transaction. */
  private async replaceIn(client: pg.PoolClient, previousTokenHash: string | undefined, session: NewSession) {
    if (previousTokenHash) await this.members.deleteSession(previousTokenHash, client);
    await this.members.createSession(session.tokenHash, session.memberId, session.expiresAt, client);
  }
}
