/** Signed links for subscription mails, and the site secret they are signed with. */
import { randomBytes } from 'node:crypto';
import type { Config } from '../config.ts';
import { signToken, type TokenCheck, type TokenPurpose, verifyToken } from '../domain/signed-token.ts';
import type { Subscription } from '../domain/subscription.ts';
import type { Store } from '../store/store.ts';

/** How long a confirmation link works. */
export const CONFIRM_DAYS = 7;

/**
 * SECRET when set; otherwise one generated on first use and kept in the database (settings table), so signed
 * links in mails already sent keep working across restarts and between `serve` and the CLI.
 */
export async function siteSecret(store: Store, config: Config): Promise<string> {
  if (config.secret) return config.secret;
  return store.jobs.ensureSetting('link-secret', randomBytes(32).toString('base64url'));
}

const confirmSubject = ({ id, updatedAt }: Pick<Subscription, 'id' | 'updatedAt'>) => `${id}~${updatedAt}`;

/** The subscription id and sign-up time a confirmation token names (older links name the id only). */
export function parseConfirmSubject(subject: string): { id: number; requestedAt: string | null } {
  const [id = '', requestedAt] = subject.split('~');
  return { id: Number(id), requestedAt: requestedAt ?? null };
}

export class MailLinks {
  constructor(
    private readonly secret: string,
    readonly baseUrl: string,
  ) {}

  static async forSite(store: Store, config: Config): Promise<MailLinks> {
    return new MailLinks(await siteSecret(store, config), config.baseUrl);
  }

  /**
   * The link in a confirmation mail. It names the sign-up it answers (the pending subscription's `updatedAt`),
   * so it confirms that sign-up only: not an address that unsubscribed since, nor a later sign-up.
   */
  confirmUrl(subscription: Pick<Subscription, 'id' | 'updatedAt'>, now: Date): string {
    const token = signToken(this.secret, {
      purpose: 'confirm',
      subject: confirmSubject(subscription),
      expiresAt: new Date(now.getTime() + CONFIRM_DAYS * 86_400_000),
    });
    return `${this.baseUrl}/subscriptions/confirm/${token}`;
  }

  /** The token behind the preferences page and the one-click unsubscribe; it does not expire. */
  manageToken(subscriptionId: number): string {
    return signToken(this.secret, { purpose: 'manage', subject: String(subscriptionId), expiresAt: null });
  }

  manageUrl(subscriptionId: number): string {
    return `${this.baseUrl}/subscriptions/manage/${this.manageToken(subscriptionId)}`;
  }

  unsubscribeUrl(subscriptionId: number): string {
    return `${this.baseUrl}/subscriptions/unsubscribe/${this.manageToken(subscriptionId)}`;
  }

  viewUrl(subscriptionId: number, period: string): string {
    const token = signToken(this.secret, {
      purpose: 'view',
      subject: `${subscriptionId}~${period}`,
      expiresAt: null,
    });
    return `${this.baseUrl}/digests/${token}`;
  }

  verify(token: string, purpose: TokenPurpose, now = new Date()): TokenCheck {
    return verifyToken(this.secret, token, purpose, now);
  }
}
