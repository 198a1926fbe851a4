/**
 * The secret token of a member's private "For you" feed: `<member id>.<HMAC of the site secret over the member
 * id and a random nonce>`. The database keeps the nonce, so the account page can show the feed's address again;
 * regenerating draws a new nonce, which revokes the old address.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Config } from '../config.ts';
import type { Member } from '../domain/member.ts';
import type { Store } from '../store/store.ts';
import { siteSecret } from './signed-links.ts';

const TOKEN = /^([1-9][0-9]{0,15})\.([A-Za-z0-9_-]{43})$/;

function mac(secret: string, memberId: number, nonce: string): string {
  return createHmac('sha256', secret)
    .update(`dailypapers-personal-feed\u0000${memberId}\u0000${nonce}`)
    .digest('base64url');
}

/** The member's current feed token, or null when they have none (or revoked it). */
export async function personalFeedToken(
  store: Store,
  config: Config,
  member: Member,
): Promise<string | null> {
  const nonce = await store.library.feedTokenNonce(member.id);
  return nonce ? `${member.id}.${mac(await siteSecret(store, config), member.id, nonce)}` : null;
}

/** Makes a new token (the old one stops working) and returns it. */
export async function regeneratePersonalFeedToken(
  store: Store,
  config: Config,
  member: Member,
): Promise<string> {
  const nonce = randomBytes(24).toString('base64url');
  await store.library.setFeedTokenNonce(member.id, nonce, new Date().toISOString());
  return `${member.id}.${mac(await siteSecret(store, config), member.id, nonce)}`;
}

export async function revokePersonalFeedToken(store: Store, member: Member): Promise<void> {
  await store.library.setFeedTokenNonce(member.id, null, new Date().toISOString());
}

/** The member a feed token belongs to, or null for anything else (malformed, revoked, forged). */
export async function memberOfFeedToken(store: Store, config: Config, token: string): Promise<Member | null> {
  const match = TOKEN.exec(token);
  if (!match) return null;
  const memberId = Number(match[1]);
  const nonce = await store.library.feedTokenNonce(memberId);
  if (!nonce) return null;
  const expected = Buffer.from(mac(await siteSecret(store, config), memberId, nonce));
  const given = Buffer.from(match[2] as string);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  return store.members.getMember(memberId);
}
