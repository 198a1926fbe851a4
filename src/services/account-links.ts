/**
 * Signed links in account mails. A verification link names the member and a digest of the address it was sent
 * to; a reset link names the member and a digest of the password hash it replaces, so it is spent once the
 * password changes (and every older reset link with it).
 */
import { createHash } from 'node:crypto';
import { expiresAfter, SignedLinks } from './signed-links.ts';

export const VERIFY_DAYS = 7;
export const RESET_MINUTES = 60;

const digest = (value: string) => createHash('sha256').update(value).digest('base64url').slice(0, 22);

export interface LinkSubject {
  memberId: number;
  fingerprint: string;
}

export class AccountLinks extends SignedLinks {
  static emailFingerprint(email: string): string {
    return digest(`email\u0000${email.toLowerCase()}`);
  }

  static passwordFingerprint(passwordHash: string): string {
    return digest(`password\u0000${passwordHash}`);
  }

  verifyUrl(memberId: number, email: string, now: Date): string {
    return this.url('/account/verify', {
      purpose: 'verify-email',
      subject: `${memberId}~${AccountLinks.emailFingerprint(email)}`,
      expiresAt: expiresAfter(now, VERIFY_DAYS * 86_400_000),
    });
  }

  resetUrl(memberId: number, passwordHash: string, now: Date): string {
    return this.url('/password/reset', {
      purpose: 'reset-password',
      subject: `${memberId}~${AccountLinks.passwordFingerprint(passwordHash)}`,
      expiresAt: expiresAfter(now, RESET_MINUTES * 60_000),
    });
  }

  /** The member and fingerprint a link names, or why it cannot be used. */
  check(
    token: string,
    purpose: 'verify-email' | 'reset-password',
    now: Date,
  ): LinkSubject | 'invalid' | 'expired' {
    const result = this.verify(token, purpose, now);
    if (!result.ok) return result.reason;
    const match = /^(\d{1,15})~([A-Za-z0-9_-]+)$/.exec(result.subject);
    if (!match) return 'invalid';
    return { memberId: Number(match[1]), fingerprint: match[2] as string };
  }
}
