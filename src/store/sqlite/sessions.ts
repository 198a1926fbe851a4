import type { RateLimitResult } from '../members.ts';
import { ALLOWED, type RateLimitHit } from '../rate-limits.ts';
import type { NewSession, Sessions } from '../sessions.ts';
import { SqliteMemberCounters } from './member-counters.ts';

export class SqliteSessions extends SqliteMemberCounters implements Sessions {
  countAndStart(
    hits: readonly RateLimitHit[],
    now: Date,
    session: NewSession | null,
  ): Promise<RateLimitResult> {
    return this.immediate(() => {
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
  }

  replace(previousTokenHash: string | undefined, tokenHash: string, memberId: number, expiresAt: string) {
    return this.immediate(() =>
      this.members.replaceSessionNow(previousTokenHash, tokenHash, memberId, expiresAt),
    );
  }
}
