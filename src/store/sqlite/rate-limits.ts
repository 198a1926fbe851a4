import type { RateLimitResult } from '../members.ts';
import { ALLOWED, type RateLimitHit, type RateLimits } from '../rate-limits.ts';
import { SqliteMemberCounters } from './member-counters.ts';

export class SqliteRateLimits extends SqliteMemberCounters implements RateLimits {
  hitAll(hits: readonly RateLimitHit[], now: Date): Promise<RateLimitResult> {
    return this.immediate(() => this.members.countHits(hits, now) ?? ALLOWED);
  }
}
