import type { RateLimitResult } from './members.ts';

/** What counting answers when no hit is refused. */
export const ALLOWED: RateLimitResult = { allowed: true, retryAfterSeconds: 0 };

/** One hit to count: against `key`, at most `limit` in a fixed window of `windowSeconds`. */
export interface RateLimitHit {
  key: string;
  limit: number;
  windowSeconds: number;
}

/** Rate-limit counters, shared by every process using the database. */
export interface RateLimits {
  /**
   * Counts the hits in order as one write, stopping at the first one refused (later keys are not counted, as if
   * they had been checked one after another): that refusal, or allowed. One write instead of one per key, so a
   * request waits at most once for another connection's transaction (an import batch on SQLite).
   */
  hitAll(hits: readonly RateLimitHit[], now: Date): Promise<RateLimitResult>;
}
