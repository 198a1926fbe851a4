import type pg from 'pg';
import type { RateLimitResult } from '../members.ts';
import { ALLOWED, type RateLimitHit, type RateLimits } from '../rate-limits.ts';
import { bookkeeping } from '../read-routing.ts';
import type { PostgresMembers } from './members.ts';
import { inTransaction } from './transaction.ts';

export class PgRateLimits implements RateLimits {
  constructor(
    private readonly pool: pg.Pool,
    private readonly members: PostgresMembers,
  ) {}

  hitAll(hits: readonly RateLimitHit[], now: Date): Promise<RateLimitResult> {
    return bookkeeping(() =>
      inTransaction(
        this.pool,
        async (client) => (await this.members.countHits(hits, now, client)) ?? ALLOWED,
      ),
    );
  }
}
