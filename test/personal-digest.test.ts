// The personal ("For you") digest through the real site and a real SMTP server: chosen on the For you page, sent
// by the same digest run as everyone's, ranked for the member, never twice, stopped with one click.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { SiteClient } from '../scripts/lib/http-client.ts';
import { runDigests } from './helpers/digests.ts';
import { sinkMailbox } from './helpers/mailbox.ts';
import { personalPapers } from './helpers/personal-papers.ts';
import { type RunningSite, startSite } from './helpers/site.ts';
import { type SmtpSink, startSmtpSink } from './helpers/smtp-sink.ts';

let site: RunningSite;
let sink: SmtpSink;
/** Saturday: the daily digest of Friday 2026-11-20, the day the papers were listed. */
const SATURDAY = '2026-11-21';

before(async () => {
  sink = await startSmtpSink();
  site = await startSite({
    env: { SMTP_URL: sink.url },
    mailbox: sinkMailbox(sink),
    records: personalPapers(),
  });
});
after(async () => {
  await site.close();
  await sink.close();
});

const titlesIn = (text: string) =>
  [
    'Uncertainty in offline',
    'Diffusion models for',
    'Graph neural networks',
    'Offline reinforcement learning with',
  ]
    .map((title) => ({ title, at: text.indexOf(title) }))
    .filter((found) => found.at >= 0)
    .sort((a, b) => a.at - b.at)
    .map((found) => found.title);

test('a member’s For you digest is ranked for them, sent once by the digest run, and can be stopped', async () => {
  const ada = new SiteClient(site.url);
  await site.member(ada, 'ada');
  await ada.postForm('/library/save', { paperId: '2611.00001', tags: 'rl' });
  const chosen = await ada.postForm('/for-you/digest', { frequency: 'daily' });
  assert.equal(chosen.status, 303);
  assert.match(await (await ada.get('/for-you')).text(), /<option value="daily" selected>/);
  assert.equal((await ada.postForm('/for-you/digest', { frequency: 'hourly' })).status, 400);

  const summary = await runDigests(site, { frequency: 'daily', day: SATURDAY });
  assert.equal(summary.sent, 1);
  const mail = sink.messages.find((message) => message.to.includes('ada@example.org'));
  assert.ok(mail, 'ada got her digest');
  const order = titlesIn(mail.parsed.text ?? '');
  assert.equal(
    order[0],
    'Uncertainty in offline',
    'the paper like her saved one comes first, not the most upvoted',
  );
  assert.ok(
    !order.includes('Offline reinforcement learning with'),
    'the paper she saved is not sent back to her',
  );
  assert.match(mail.raw, /List-Unsubscribe-Post: List-Unsubscribe=One-Click/);

  const again = await runDigests(site, { frequency: 'daily', day: SATURDAY });
  assert.equal(again.sent, 0, 'never twice for one period');

  await ada.postForm('/for-you/digest', { frequency: 'off' });
  assert.match(await (await ada.get('/for-you')).text(), /<option value="off" selected>/);
  const next = await runDigests(site, { frequency: 'daily', day: '2026-11-24' });
  assert.equal(next.sent, 0);
});
