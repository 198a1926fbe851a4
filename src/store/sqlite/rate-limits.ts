import type Database from 'better-sqlite3';
import type { RateLimitHit, RateLimits } from '../rate-limits.ts';
import type { RateLimitResult } from '../store.ts';
import type { MemberQueries } from './members.ts';

const ALLOWED: RateLimitResult = { allowed: true, retryAfterSeconds: 0 };

export class SqliteRateLimits implements RateLimits {
  constructor(
    private readonly db: Database.Database,
    private readonly members: MemberQueries,
    private readonly write: <T>(work: () => T) => Promise<T>,
  ) {}

  hitAll(hits: readonly RateLimitHit[], now: Date): Promise<RateLimitResult> {
    const countInOrder = this.db.transaction(() => {
      for (const { key, limit, windowSeconds } of hits) {
        const result = this.members.hitRateLimit(key, limit, windowSeconds, now);
        if (!result.allowed) return result;
      }
      return ALLOWED;
    });
    return this.write(() => countInOrder.immediate());
  }
}
