import type { Member } from '../domain/member.ts';

/** A member's personal API token as the account page lists it (the secret itself is never stored). */
export interface ApiToken {
  id: number;
  name: string;
  createdAt: string;
  /** When a request last came with it (noted at most once a minute), or null when never. */
  lastUsedAt: string | null;
}

/** Personal API tokens (`Authorization: Bearer`), stored as hashes like sessions. */
export interface ApiTokenStore {
  /**
   * Adds a token for the member unless they have `limit` tokens already (then null); the count and the insert
   * are one transaction, so concurrent requests cannot pass the limit.
   */
  create(memberId: number, name: string, tokenHash: string, limit: number): Promise<ApiToken | null>;
  /** The member's tokens, oldest first. */
  list(memberId: number): Promise<ApiToken[]>;
  /** Deletes one of the member's tokens; false when the member has no token with that id. */
  revoke(memberId: number, tokenId: number): Promise<boolean>;
  /** The member a token belongs to, or null; notes the use at `now` when the last note is a minute old. */
  memberFor(tokenHash: string, now: string): Promise<Member | null>;
}

/** Uses of a token closer together than this leave `lastUsedAt` as it is (no write on every request). */
export const TOKEN_USE_RESOLUTION_MS = 60_000;

/** The time before which a token's last use is noted again. */
export function staleUseBefore(now: string): string {
  return new Date(Date.parse(now) - TOKEN_USE_RESOLUTION_MS).toISOString();
}
