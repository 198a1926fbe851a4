import type { RateLimitResult } from './members.ts';
import type { RateLimitHit } from './rate-limits.ts';

/** A session to start: the hash of its token, whose it is, until when, and the session it ends (the browser's). */
export interface NewSession {
  tokenHash: string;
  memberId: number;
  expiresAt: string;
  endsTokenHash?: string;
}

/** Log-in sessions, by the hash of their token. */
export interface Sessions {
  /**
   * Counts a log-in attempt's rate-limit hits as RateLimits.hitAll does and, when all are allowed, starts
   * `session` in the same write (a log-in then waits at most once for another connection's transaction). The
   * caller reveals the token only once the password is right, and ends the session otherwise.
   */
  countAndStart(
    hits: readonly RateLimitHit[],
    now: Date,
    session: NewSession | null,
  ): Promise<RateLimitResult>;

  /**
   * Starts a session and ends `previousTokenHash`'s (the one the browser had, if any) as one write: a log-in
   * waits at most once for another connection's transaction.
   */
  replace(
    previousTokenHash: string | undefined,
    tokenHash: string,
    memberId: number,
    expiresAt: string,
  ): Promise<void>;
}
