/**
 * Signed tokens for links in mails (confirm, manage/unsubscribe, view in browser, verify email, reset password): the link itself is the
 * authorization, so it carries what it is for, whom it is about and until when, under an HMAC of the site secret.
 *
 *   token = base64url("v1|<purpose>|<subject>|<expires, unix seconds or 0>") "." base64url(HMAC-SHA256)[0..32]
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type TokenPurpose = 'confirm' | 'manage' | 'view' | 'verify-email' | 'reset-password';

export interface TokenClaims {
  purpose: TokenPurpose;
  /** What the token is about, e.g. a subscription id; no "|" inside. */
  subject: string;
  /** null: never expires. */
  expiresAt: Date | null;
}

export type TokenCheck = { ok: true; subject: string } | { ok: false; reason: 'invalid' | 'expired' };

const MAC_CHARS = 32;

function mac(secret: string, payload: string): string {
  return createHmac('sha256', secret)
    .update('dailypapers-link\u0000')
    .update(payload)
    .digest('base64url')
    .slice(0, MAC_CHARS);
}

export function signToken(secret: string, claims: TokenClaims): string {
  if (claims.subject.includes('|')) throw new Error('a token subject cannot contain "|"');
  const expires = claims.expiresAt ? Math.ceil(claims.expiresAt.getTime() / 1000) : 0;
  const payload = `v1|${claims.purpose}|${claims.subject}|${expires}`;
  return `${Buffer.from(payload).toString('base64url')}.${mac(secret, payload)}`;
}

/** Checks a token's signature, purpose and expiry. */
export function verifyToken(secret: string, token: string, purpose: TokenPurpose, now: Date): TokenCheck {
  const match = /^([A-Za-z0-9_-]{1,400})\.([A-Za-z0-9_-]{32})$/.exec(token);
  if (!match?.[1] || !match[2]) return { ok: false, reason: 'invalid' };
  const payload = Buffer.from(match[1], 'base64url').toString();
  const expected = Buffer.from(mac(secret, payload));
  const given = Buffer.from(match[2]);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return { ok: false, reason: 'invalid' };
  }
  const [version, tokenPurpose, subject, expires] = payload.split('|');
  if (version !== 'v1' || tokenPurpose !== purpose || subject === undefined || !/^\d+$/.test(expires ?? '')) {
    return { ok: false, reason: 'invalid' };
  }
  const expiresSeconds = Number(expires);
  if (expiresSeconds !== 0 && expiresSeconds * 1000 < now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, subject };
}
