import { randomBytes } from 'node:crypto';
import type { Member } from '../domain/member.ts';
import type { ApiToken } from '../store/api-tokens.ts';
import type { Store } from '../store/store.ts';
import { FormError, hashToken } from './accounts.ts';

/** Tokens a member may hold at once. */
export const API_TOKEN_LIMIT = 10;
export const MAX_TOKEN_NAME_LENGTH = 60;
/** A prefix makes our tokens recognizable (e.g. to secret scanners); 32 random bytes follow. */
const TOKEN_PREFIX = 'dp_';
const TOKEN_FORMAT = /^dp_[A-Za-z0-9_-]{43}$/;

/** An `Authorization: Bearer` credential that names no token: malformed, unknown or revoked. */
export class ApiTokenError extends Error {
  constructor(readonly reason: 'malformed' | 'invalid') {
    super(
      reason === 'malformed'
        ? 'the bearer token is malformed: send "Authorization: Bearer dp_…" with a token from your account page'
        : 'the bearer token is not valid: it was revoked or never existed',
    );
    this.name = 'ApiTokenError';
  }
}

/** Creates a named token; returns the secret, shown once (only its hash is stored). */
export async function createApiToken(
  store: Store,
  member: Member,
  rawName: string,
): Promise<{ token: string; apiToken: ApiToken }> {
  const name = rawName.trim();
  if (!name) throw new FormError({ name: 'give the token a name, e.g. the script or machine that uses it' });
  if (name.length > MAX_TOKEN_NAME_LENGTH)
    throw new FormError({ name: `at most ${MAX_TOKEN_NAME_LENGTH} characters` });
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const apiToken = await store.apiTokens.create(member.id, name, hashToken(token), API_TOKEN_LIMIT);
  if (!apiToken)
    throw new FormError({
      name: `you have ${API_TOKEN_LIMIT} tokens already: revoke one you no longer use first`,
    });
  return { token, apiToken };
}

/**
 * The credential of an `Authorization` header when its scheme is Bearer, else null (other schemes, such as a
 * proxy's Basic authentication, are not ours to judge).
 */
export function bearerCredential(header: string | undefined): string | null {
  const match = /^Bearer(?:\s+(.*))?$/i.exec(header?.trim() ?? '');
  return match ? (match[1] ?? '').trim() : null;
}

/** The member of a bearer token; ApiTokenError when it names none. */
export async function memberForApiToken(store: Store, token: string, now = new Date()): Promise<Member> {
  if (!TOKEN_FORMAT.test(token)) throw new ApiTokenError('malformed');
  const member = await store.apiTokens.memberFor(hashToken(token), now.toISOString());
  if (!member) throw new ApiTokenError('invalid');
  return member;
}
