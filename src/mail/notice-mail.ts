/** Mails about a subscription itself: the double opt-in confirmation and "you are already subscribed". */
import { type DigestFrequency, type DigestTopics, hasTopics } from '../domain/subscription.ts';
import { type RenderedMail, topicSummary } from './digest-mail.ts';
import { button, esc, heading, link, mailPage, paragraph } from './templates.ts';

const describe = (frequency: DigestFrequency) =>
  frequency === 'daily' ? 'a daily digest (weekdays)' : 'a weekly digest';

/** What the digest holds: the topics it names, or the trending papers. */
const subjectOf = (topics: DigestTopics) =>
  hasTopics(topics) ? `research papers on ${topicSummary(topics)}` : 'trending research papers';

export function renderConfirmationMail(input: {
  baseUrl: string;
  frequency: DigestFrequency;
  topics: DigestTopics;
  confirmUrl: string;
  expiresInDays: number;
}): RenderedMail {
  const host = new URL(input.baseUrl).host;
  const subject = 'Confirm your Dailypapers subscription';
  const html = mailPage({
    title: subject,
    preheader: `One click to start getting ${describe(input.frequency)} of ${subjectOf(input.topics)}.`,
    body: [
      heading('Confirm your subscription'),
      paragraph(
        `Someone, hopefully you, asked for ${esc(describe(input.frequency))} of ${esc(subjectOf(input.topics))} from ${link(input.baseUrl, host)}.`,
      ),
      button(input.confirmUrl, 'Yes, subscribe me'),
      paragraph(
        `Or open this link: ${link(input.confirmUrl, input.confirmUrl, 'word-break:break-all')}. It works for ${input.expiresInDays} days.`,
        true,
      ),
    ].join('\n'),
    footer: paragraph(
      'If you did not ask for this, ignore this mail: nothing will be sent to you unless you confirm.',
      true,
    ),
  });
  const text = [
    'Confirm your subscription',
    '',
    `Someone, hopefully you, asked for ${describe(input.frequency)} of ${subjectOf(input.topics)} from ${host}.`,
    '',
    `Confirm here (the link works for ${input.expiresInDays} days):`,
    input.confirmUrl,
    '',
    'If you did not ask for this, ignore this mail: nothing will be sent to you unless you confirm.',
    '',
  ].join('\n');
  return { subject, html, text };
}

export function renderAlreadySubscribedMail(input: { baseUrl: string; manageUrl: string }): RenderedMail {
  const host = new URL(input.baseUrl).host;
  const subject = 'You are already subscribed to Dailypapers';
  const html = mailPage({
    title: subject,
    preheader: 'Nothing changed; here is the link to your preferences.',
    body: [
      heading('You are already subscribed'),
      paragraph(
        `Someone asked to subscribe this address to ${link(input.baseUrl, host)} again. It already gets digests, so nothing changed.`,
      ),
      button(input.manageUrl, 'Change frequency or topics'),
    ].join('\n'),
    footer: paragraph(
      `To stop the digests, use the same page: ${link(input.manageUrl, 'preferences and unsubscribe')}.`,
      true,
    ),
  });
  const text = [
    'You are already subscribed',
    '',
    `Someone asked to subscribe this address to ${host} again. It already gets digests, so nothing changed.`,
    '',
    `Change frequency or topics, or unsubscribe: ${input.manageUrl}`,
    '',
  ].join('\n');
  return { subject, html, text };
}
