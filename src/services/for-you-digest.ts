/**
 * The personal variant of the digest: a member's "For you" list by mail, daily or weekly. It is an ordinary
 * subscription of the member's (confirmed) address, marked personal, so the digest run sends it with the same
 * claims, retries and one-click unsubscribe; only its papers come from the member's ranking.
 */
import type { DigestPeriod } from '../domain/digest-period.ts';
import type { Member } from '../domain/member.ts';
import { recommend } from '../domain/recommend/recommend.ts';
import { type DigestFrequency, NO_TOPICS } from '../domain/subscription.ts';
import { DuplicateError, type Store } from '../store/store.ts';
import { FormError } from './accounts.ts';
import { forYou } from './for-you.ts';

/** Papers ranked for a personal digest, before those already sent are skipped. */
const RANKED = 100;

/** The frequency of the member's personal digest, or null when they get none. */
export async function forYouDigestOf(store: Store, member: Member): Promise<DigestFrequency | null> {
  const subscription = await store.subscriptions.findSubscriptionByEmail(member.email);
  if (!subscription || subscription.status !== 'active') return null;
  const personal = await store.library.personalDigests([subscription.id]);
  return personal.has(subscription.id) ? subscription.frequency : null;
}

/**
 * Starts, changes or stops the member's personal digest. Their address is confirmed already (they had to, to
 * sign up), so it is active at once. The address's own digest (topics or the site's), if it had one, gives way to
 * the personal one and comes back when the personal one stops; an address that had none is unsubscribed.
 */
export async function setForYouDigest(
  store: Store,
  member: Member,
  frequency: DigestFrequency | 'off',
  now = new Date(),
): Promise<void> {
  if (!member.emailVerified) throw new FormError({ frequency: 'confirm your email address first' });
  const at = now.toISOString();
  let subscription = await store.subscriptions.findSubscriptionByEmail(member.email);
  if (frequency === 'off') {
    if (!subscription) return;
    const personal = await store.library.personalDigests([subscription.id]);
    if (!personal.has(subscription.id)) return;
    const replaced = await store.library.replacedDigest(subscription.id);
    await store.library.setPersonalDigest(subscription.id, false, at);
    await store.subscriptions.updateSubscription(
      subscription.id,
      replaced ? { frequency: replaced, status: 'active' } : { status: 'unsubscribed' },
      at,
    );
    return;
  }
  const replaced = subscription?.status === 'active' ? subscription.frequency : null;
  if (!subscription) {
    try {
      subscription = await store.subscriptions.createSubscription(
        { email: member.email, frequency, topics: NO_TOPICS, memberId: member.id },
        at,
      );
    } catch (error) {
      if (!(error instanceof DuplicateError)) throw error;
      subscription = await store.subscriptions.findSubscriptionByEmail(member.email);
      if (!subscription) throw error;
    }
  }
  await store.subscriptions.updateSubscription(
    subscription.id,
    { frequency, status: 'active', memberId: member.id },
    at,
  );
  await store.library.setPersonalDigest(subscription.id, true, at, replaced);
}

/** A member's ranking of one digest period's papers, best first (the digest then skips what it sent before). */
export async function personalDigestRanking(
  store: Store,
  memberId: number,
  period: DigestPeriod,
): Promise<string[]> {
  const member = await store.members.getMember(memberId);
  if (!member) return [];
  const result = await forYou({ store, recommend }, member, { limit: RANKED, window: period.window });
  return result.items.map((item) => item.paper.id);
}
