import type { FastifyRequest } from 'fastify';
import type { Store } from '../../store/store.ts';

/** Limits per action: [hits, window in seconds]. Keys are per member when logged in, else per address. */
export const RATE_LIMITS = {
  login: [10, 15 * 60],
  signup: [5, 60 * 60],
  vote: [120, 60],
  comment: [10, 60],
  submit: [10, 60 * 60],
  subscribe: [10, 60 * 60],
} as const satisfies Record<string, readonly [number, number]>;

export class RateLimitedError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`too many requests: try again in ${retryAfterSeconds} s`);
    this.name = 'RateLimitedError';
  }
}

export async function enforceRateLimit(
  store: Store,
  request: FastifyRequest,
  action: keyof typeof RATE_LIMITS,
): Promise<void> {
  const [limit, windowSeconds] = RATE_LIMITS[action];
  const who = request.member ? `member:${request.member.id}` : `ip:${request.ip}`;
  const result = await store.hitRateLimit(`${action}:${who}`, limit, windowSeconds, new Date());
  if (!result.allowed) throw new RateLimitedError(result.retryAfterSeconds);
}
