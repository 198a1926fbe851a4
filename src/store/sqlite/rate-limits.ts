import type Database from 'better-sqlite3';
import type { RateLimitResult } from '../members.ts';
import type { RateLimitHit, RateLimits } from '../rate-limits.ts';
import type { Write } from './busy-retry.ts';
import type { SqliteMembers } from './members.ts';

const ALLOWED: RateLimitResult = { allowed: true, retryAfterSeconds: 0 };

export class SqliteRateLimits implements RateLimits {
  constructor(
    private readonly db: Database.Database,
    private readonly members: SqliteMembers,
    private readonly write: Write,
  ) {}

  hitAll(hits: readonly RateLimitHit[], now: Date): Promise<RateLimitResult> {
    const countInOrder = this.db.transaction(() => this.members.countHits(hits, now) ?? ALLOWED);
    return this.write(() => countInOrder.immediate());
  }
}
