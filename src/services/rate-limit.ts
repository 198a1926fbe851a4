import type { RateLimitHit } from '../store/rate-limits.ts';
import type { NewSession } from '../store/sessions.ts';
import type { Store } from '../store/store.ts';

type Limit = readonly [hits: number, windowSeconds: number];

/**
 * Limits per action: [hits, window in seconds], per client address (as the trusted proxy reports it, see
 * TRUST_PROXY) and, for members' actions, per member too: a new session or account never resets a count, and
 * the address limits are looser so that members behind one address (a campus, an office) are not held back by
 * each other. Log-ins are also counted per target account, whoever tries.
 */
export const RATE_LIMITS = {
  login: { address: [10, 15 * 60] },
  loginAccount: { address: [20, 60 * 60] },
  signup: { address: [5, 60 * 60] },
  accountMail: { address: [5, 60 * 60] },
  vote: { address: [600, 60], member: [120, 60] },
  comment: { address: [30, 60], member: [10, 60] },
  submit: { address: [30, 60 * 60], member: [10, 60 * 60] },
  subscribe: { address: [10, 60 * 60], member: [10, 60 * 60] },
  apiToken: { address: [30, 60 * 60], member: [20, 60 * 60] },
  authorClaim: { address: [20, 60 * 60], member: [5, 60 * 60] },
} as const satisfies Record<string, { address: Limit; member?: Limit }>;

export type RateLimitAction = keyof typeof RATE_LIMITS;

/** Who is asking: the client address (as the trusted proxy reports it) and the logged-in member, if any. */
export interface RateLimitClient {
  address: string;
  memberId: number | null;
}

/** Counters older than this are deleted (the longest window anywhere is a day: the mail caps per address). */
const KEEP_SECONDS = 2 * 86_400;
const PURGE_EVERY_MS = 10 * 60_000;
let nextPurge = 0;

export class RateLimitedError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`too many requests: try again in ${retryAfterSeconds} s`);
    this.name = 'RateLimitedError';
  }
}

const hitOf = (action: RateLimitAction, who: string, [limit, windowSeconds]: Limit): RateLimitHit => ({
  key: `${action}:${who}`,
  limit,
  windowSeconds,
});

/** The hits one request of `action` counts: per client address and, for a logged-in member, per member. */
function requestHits(client: RateLimitClient, action: RateLimitAction): RateLimitHit[] {
  const limits: { address: Limit; member?: Limit } = RATE_LIMITS[action];
  const hits = [hitOf(action, `ip:${client.address}`, limits.address)];
  if (client.memberId !== null && limits.member)
    hits.push(hitOf(action, `member:${client.memberId}`, limits.member));
  return hits;
}

/** Expired counters go now and then, from whichever process is counting (no job needed). */
async function purgeNowAndThen(store: Store, now: Date): Promise<void> {
  if (now.getTime() < nextPurge) return;
  nextPurge = now.getTime() + PURGE_EVERY_MS;
  await store.members.purgeRateLimits(new Date(now.getTime() - KEEP_SECONDS * 1000));
}

/** Counts `hits` in one write; RateLimitedError when one is over its limit. */
async function count(store: Store, hits: RateLimitHit[]): Promise<void> {
  const now = new Date();
  await purgeNowAndThen(store, now);
  const result = await store.rateLimits.hitAll(hits, now);
  if (!result.allowed) throw new RateLimitedError(result.retryAfterSeconds);
}

/** Counts one hit per client address and, for a logged-in member, per member (one write). */
export async function enforceRateLimit(
  store: Store,
  client: RateLimitClient,
  action: RateLimitAction,
): Promise<void> {
  await count(store, requestHits(client, action));
}

/** A log-in attempt counts against the client address and against the account it names (one write). */
/** The hits of one log-in attempt: per client address, and per account named, whoever tries. */
function loginHits(client: RateLimitClient, login: string): RateLimitHit[] {
  const account = hitOf(
    'loginAccount',
    `account:${login.trim().toLowerCase()}`,
    RATE_LIMITS.loginAccount.address,
  );
  return [...requestHits(client, 'login'), account];
}

export async function enforceLoginLimits(
  store: Store,
  client: RateLimitClient,
  login: string,
): Promise<void> {
  await count(store, loginHits(client, login));
}

/** Counts a log-in attempt and starts `session` in the same write (Sessions.countAndStart), or refuses it. */
export async function countLogInAndStart(
  store: Store,
  client: RateLimitClient,
  login: string,
  session: NewSession | null,
  now: Date,
): Promise<void> {
  await purgeNowAndThen(store, now);
  const result = await store.sessions.countAndStart(loginHits(client, login), now, session);
  if (!result.allowed) throw new RateLimitedError(result.retryAfterSeconds);
}
