/**
 * Subscribing with double opt-in, confirming, preferences and unsubscribing. Every subscribe request gets the
 * same answer whatever the address's state, so the form never tells who is subscribed; the mailbox owner
 * learns it from the mail (a confirmation link, or "you are already subscribed").
 */
import type { TokenPurpose } from '../domain/signed-token.ts';
import {
  type DigestTopics,
  parseSubscriptionForm,
  type Subscription,
  type SubscriptionForm,
  type SubscriptionRequest,
} from '../domain/subscription.ts';
import { classifyMailError, type Mailer, type OutgoingMail } from '../mail/mailer.ts';
import { renderAlreadySubscribedMail, renderConfirmationMail } from '../mail/notice-mail.ts';
import { DuplicateError, type Store } from '../store/store.ts';
import { FormError } from './accounts.ts';
import { CONFIRM_DAYS, type MailLinks, parseConfirmSubject } from './mail-links.ts';

export interface MailDeps {
  store: Store;
  mailer: Mailer;
  links: MailLinks;
}

type LinkProblem = 'invalid' | 'expired' | 'ended' | 'replaced';

const LINK_PROBLEMS: Record<LinkProblem, string> = {
  invalid: 'this link is not valid: it may be incomplete, or the subscription no longer exists',
  expired: 'this link has expired: subscribe again to get a new one',
  ended:
    'this confirmation link no longer confirms anything: the subscription was ended after it was sent. Subscribe again to get a new link.',
  replaced:
    'this confirmation link was replaced by a newer one: use the link in the latest mail, or subscribe again',
};

/** A link from a mail that is not (or no longer) valid. */
export class LinkError extends Error {
  constructor(readonly reason: LinkProblem) {
    super(LINK_PROBLEMS[reason]);
    this.name = 'LinkError';
  }
}

/** Mails about one address are capped, so the form cannot be used to flood someone's inbox. */
const MAILS_PER_ADDRESS_PER_DAY = 5;

export type SubscribeOutcome =
  /** Mail went out (or was held back by the per-address cap; the page must not say which). */
  { mailed: true } | { mailed: false; reason: 'refused' | 'unavailable' };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends a mail, retrying temporary failures a few times (for mails a person is waiting for). */
export async function sendPromptly(
  mailer: Mailer,
  mail: OutgoingMail,
  options: { attempts?: number; delayMs?: number } = {},
): Promise<SubscribeOutcome> {
  const attempts = options.attempts ?? 3;
  for (let attempt = 1; ; attempt++) {
    try {
      await mailer.send(mail);
      return { mailed: true };
    } catch (error) {
      const failure = classifyMailError(error);
      if (failure.kind === 'rejected') return { mailed: false, reason: 'refused' };
      if (failure.kind === 'fatal' || attempt >= attempts) {
        console.error(`mail to a subscriber failed (${failure.kind}): ${failure.message}`);
        return { mailed: false, reason: 'unavailable' };
      }
      await sleep((options.delayMs ?? 400) * 2 ** (attempt - 1));
    }
  }
}

async function saveRequest(
  store: Store,
  request: SubscriptionRequest,
  memberId: number | null,
  now: string,
): Promise<{ subscription: Subscription; wasActive: boolean }> {
  const existing = await store.subscriptions.findSubscriptionByEmail(request.email);
  if (existing?.status === 'active') return { subscription: existing, wasActive: true };
  const wanted = { frequency: request.frequency, topics: request.topics };
  if (existing) {
    const subscription = await store.subscriptions.updateSubscription(
      existing.id,
      { ...wanted, status: 'pending', memberId: memberId ?? existing.memberId, bounceReason: null },
      now,
    );
    return { subscription, wasActive: false };
  }
  try {
    return {
      subscription: await store.subscriptions.createSubscription(
        { email: request.email, ...wanted, memberId },
        now,
      ),
      wasActive: false,
    };
  } catch (error) {
    // Two requests for one address at once: the other one created it; answer as if this one had.
    if (!(error instanceof DuplicateError)) throw error;
    return saveRequest(store, request, memberId, now);
  }
}

/**
 * Handles the subscribe form. FormError for a form to fix; otherwise the outcome, which is the same for a new,
 * pending, active or unsubscribed address.
 */
export async function requestSubscription(
  deps: MailDeps,
  form: Partial<SubscriptionForm>,
  options: { memberId: number | null; now?: Date },
): Promise<SubscribeOutcome> {
  const parsed = parseSubscriptionForm(form);
  if ('problems' in parsed) throw new FormError(parsed.problems);
  const now = options.now ?? new Date();
  // Capped before saving: a request that sends no new link must not replace the pending one's link either.
  const cap = await deps.store.members.hitRateLimit(
    `subscribe-mail:${parsed.request.email.toLowerCase()}`,
    MAILS_PER_ADDRESS_PER_DAY,
    86_400,
    now,
  );
  if (!cap.allowed) return { mailed: true };
  const { subscription, wasActive } = await saveRequest(
    deps.store,
    parsed.request,
    options.memberId,
    now.toISOString(),
  );
  const rendered = wasActive
    ? renderAlreadySubscribedMail({
        baseUrl: deps.links.baseUrl,
        manageUrl: deps.links.manageUrl(subscription.id),
      })
    : renderConfirmationMail({
        baseUrl: deps.links.baseUrl,
        frequency: subscription.frequency,
        topics: subscription.topics,
        confirmUrl: deps.links.confirmUrl(subscription, now),
        expiresInDays: CONFIRM_DAYS,
      });
  return sendPromptly(deps.mailer, { to: subscription.email, ...rendered });
}

function verifiedSubject(deps: MailDeps, token: string, purpose: TokenPurpose, now: Date): string {
  const check = deps.links.verify(token, purpose, now);
  if (!check.ok) throw new LinkError(check.reason);
  return check.subject;
}

async function existingSubscription(store: Store, id: number): Promise<Subscription> {
  const subscription = Number.isSafeInteger(id) ? await store.subscriptions.getSubscription(id) : null;
  if (!subscription) throw new LinkError('invalid');
  return subscription;
}

/** The subscription a signed link is about; LinkError when the link is bad, expired or its subscription gone. */
export async function subscriptionFromLink(
  deps: MailDeps,
  token: string,
  purpose: TokenPurpose,
  now = new Date(),
): Promise<Subscription> {
  const subject = verifiedSubject(deps, token, purpose, now);
  const id = purpose === 'confirm' ? parseConfirmSubject(subject).id : Number(subject);
  return existingSubscription(deps.store, id);
}

/**
 * The subscription a confirmation link may confirm: pending from the very sign-up that sent the link (or active
 * already, confirmed by it). An address that unsubscribed or bounced since, or signed up again, is not confirmed
 * by an old link.
 */
export async function confirmableFromLink(
  deps: MailDeps,
  token: string,
  now = new Date(),
): Promise<Subscription> {
  const { id, requestedAt } = parseConfirmSubject(verifiedSubject(deps, token, 'confirm', now));
  const subscription = await existingSubscription(deps.store, id);
  if (subscription.status === 'active') return subscription;
  if (subscription.status !== 'pending') throw new LinkError('ended');
  if (requestedAt !== null && requestedAt !== subscription.updatedAt) throw new LinkError('replaced');
  return subscription;
}

/** Confirms from the link in the confirmation mail; confirming twice is fine. */
export async function confirmSubscription(deps: MailDeps, token: string, now = new Date()) {
  const subscription = await confirmableFromLink(deps, token, now);
  if (subscription.status === 'active') return subscription;
  return deps.store.subscriptions.updateSubscription(
    subscription.id,
    { status: 'active', bounceReason: null },
    now.toISOString(),
  );
}

/** One-click unsubscribe (RFC 8058) or the button on the preferences page; idempotent. */
export async function unsubscribe(deps: MailDeps, token: string, now = new Date()): Promise<Subscription> {
  const subscription = await subscriptionFromLink(deps, token, 'manage', now);
  if (subscription.status === 'unsubscribed') return subscription;
  return deps.store.subscriptions.updateSubscription(
    subscription.id,
    { status: 'unsubscribed' },
    now.toISOString(),
  );
}

/** Saves new preferences from the preferences page; an unsubscribed or bounced address comes back active. */
export async function updatePreferences(
  deps: MailDeps,
  token: string,
  form: Partial<SubscriptionForm>,
  now = new Date(),
): Promise<Subscription> {
  const subscription = await subscriptionFromLink(deps, token, 'manage', now);
  const parsed = parseSubscriptionForm(form, { requireEmail: false });
  if ('problems' in parsed) throw new FormError(parsed.problems);
  const topics: DigestTopics = parsed.request.topics;
  return deps.store.subscriptions.updateSubscription(
    subscription.id,
    { frequency: parsed.request.frequency, topics, status: 'active', bounceReason: null },
    now.toISOString(),
  );
}
