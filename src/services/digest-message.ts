/** One subscriber's digest message: its links, its headers, rendered and ready to send. */
import type { DigestPeriod } from '../domain/digest-period.ts';
import type { Paper } from '../domain/paper.ts';
import type { DigestFrequency, Subscription } from '../domain/subscription.ts';
import type { DigestComposer, DigestLinks } from '../mail/digest-mail.ts';
import type { RawMail } from '../mail/mailer.ts';
import type { MailLinks } from './mail-links.ts';

/** Headers every digest carries: one-click unsubscribe (RFC 8058) and a list id. */
export function digestHeaders(unsubscribeUrl: string, frequency: DigestFrequency, domain: string) {
  return {
    'List-Unsubscribe': `<${unsubscribeUrl}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    'List-Id': `Dailypapers ${frequency} digest <${frequency}.digest.${domain}>`,
  };
}

/** The links of one subscriber's digest. */
export function digestLinks(links: MailLinks, subscriptionId: number, period: string): DigestLinks {
  return {
    view: links.viewUrl(subscriptionId, period),
    manage: links.manageUrl(subscriptionId),
    unsubscribe: links.unsubscribeUrl(subscriptionId),
  };
}

/** The message of one digest: rendered with this subscriber's links, ready to send. */
export function composeDigest(
  composer: DigestComposer,
  links: MailLinks,
  period: DigestPeriod,
  subscription: Subscription,
  papers: Paper[],
  envelope: { from: string; messageId: string; domain: string },
): RawMail {
  const personal = digestLinks(links, subscription.id, period.key);
  const raw = composer.message(
    { topics: subscription.topics, papers, links: personal },
    {
      from: envelope.from,
      to: subscription.email,
      messageId: envelope.messageId,
      date: new Date(),
      headers: {
        ...digestHeaders(personal.unsubscribe, period.frequency, envelope.domain),
        'X-Dailypapers-Period': period.key,
      },
    },
  );
  return { to: subscription.email, raw, messageId: envelope.messageId };
}
