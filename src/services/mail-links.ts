/** Signed links for subscription mails: confirm, manage, unsubscribe, view a digest in the browser. */
import type { Subscription } from '../domain/subscription.ts';
import { expiresAfter, SignedLinks } from './signed-links.ts';

/** How long a confirmation link works. */
export const CONFIRM_DAYS = 7;

const confirmSubject = ({ id, updatedAt }: Pick<Subscription, 'id' | 'updatedAt'>) => `${id}~${updatedAt}`;

/** The subscription id and sign-up time a confirmation token names (older links name the id only). */
export function parseConfirmSubject(subject: string): { id: number; requestedAt: string | null } {
  const [id = '', requestedAt] = subject.split('~');
  return { id: Number(id), requestedAt: requestedAt ?? null };
}

export class MailLinks extends SignedLinks {
  /**
   * The link in a confirmation mail. It names the sign-up it answers (the pending subscription's `updatedAt`),
   * so it confirms that sign-up only: not an address that unsubscribed since, nor a later sign-up.
   */
  confirmUrl(subscription: Pick<Subscription, 'id' | 'updatedAt'>, now: Date): string {
    return this.url('/subscriptions/confirm', {
      purpose: 'confirm',
      subject: confirmSubject(subscription),
      expiresAt: expiresAfter(now, CONFIRM_DAYS * 86_400_000),
    });
  }

  /** The token behind the preferences page and the one-click unsubscribe; it does not expire. */
  manageToken(subscriptionId: number): string {
    return this.token({ purpose: 'manage', subject: String(subscriptionId), expiresAt: null });
  }

  manageUrl(subscriptionId: number): string {
    return `${this.baseUrl}/subscriptions/manage/${this.manageToken(subscriptionId)}`;
  }

  unsubscribeUrl(subscriptionId: number): string {
    return `${this.baseUrl}/subscriptions/unsubscribe/${this.manageToken(subscriptionId)}`;
  }

  viewUrl(subscriptionId: number, period: string): string {
    return this.url('/digests', { purpose: 'view', subject: `${subscriptionId}~${period}`, expiresAt: null });
  }
}
