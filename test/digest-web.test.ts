// Subscribing, confirming, receiving, managing and leaving, through the real site and a real SMTP server on
// loopback; every link is followed against the running app.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { papersOn, pathOf, runDigests, subscribeAndConfirm, Visitor } from './helpers/digests.ts';
import { sinkMailbox } from './helpers/mailbox.ts';
import { type RunningSite, startSite } from './helpers/site.ts';
import { header, linkIn, type SmtpSink, startSmtpSink } from './helpers/smtp-sink.ts';

let site: RunningSite;
let sink: SmtpSink;

// Tuesday 2026-11-24's daily digest covers Monday 2026-11-23.
const MONDAY = '2026-11-23';
const TUESDAY = '2026-11-24';

before(async () => {
  sink = await startSmtpSink();
  site = await startSite({
    env: { TRUST_PROXY: '1', SMTP_URL: sink.url, MAIL_FROM: 'Dailypapers <digest@papers.example.org>' },
    mailbox: sinkMailbox(sink),
    records: papersOn(MONDAY, 24),
  });
});
after(async () => {
  await site.close();
  await sink.close();
});

const mailsTo = (email: string) => sink.messages.filter((mail) => mail.to.includes(email));

test('subscribe, confirm from the mail, get a digest with the right headers and parts, one-click unsubscribe', async () => {
  const email = 'ada@example.org';
  const client = new Visitor(site.url);
  const home = await (await client.get('/')).text();
  assert.match(home, /Get trending papers in your email inbox!/);
  assert.match(home, /<form method="post" action="\/subscribe"/);

  const response = await client.postForm('/subscribe', { email, frequency: 'daily', next: '/' });
  assert.equal(response.status, 200);
  assert.match(await response.text(), /Check your inbox/);
  await sink.waitFor(() => mailsTo(email).length === 1);
  const [confirmation] = mailsTo(email);
  assert.ok(confirmation);
  assert.equal(confirmation.parsed.subject, 'Confirm your Dailypapers subscription');
  assert.equal(header(confirmation, 'From'), 'Dailypapers <digest@papers.example.org>');
  assert.match(header(confirmation, 'Message-ID'), /^<.+@.+>$/);
  assert.ok(
    Math.abs(Date.parse(header(confirmation, 'Date')) - Date.now()) < 60_000,
    'a current Date header',
  );
  assert.ok(confirmation.parsed.html && confirmation.parsed.text, 'both an HTML and a text part');
  const confirmUrl = linkIn(confirmation, '/subscriptions/confirm/');
  assert.ok(confirmUrl.startsWith(`${site.url}/subscriptions/confirm/`));
  assert.ok(String(confirmation.parsed.html).includes(confirmUrl), 'the HTML part has the same link');

  // Nothing is sent before confirmation.
  let summary = await runDigests(site, { frequency: 'daily', day: TUESDAY });
  assert.equal(summary.sent, 0);
  assert.equal(mailsTo(email).length, 1);

  // The link opens a page with a button (scanners that open links do not confirm); the button confirms.
  const page = await client.get(pathOf(confirmUrl));
  assert.equal(page.status, 200);
  assert.match(await page.text(), /Confirm subscription/);
  const confirmed = await client.postForm(pathOf(confirmUrl), {});
  assert.equal(confirmed.status, 200);
  assert.match(await confirmed.text(), /You are subscribed/);

  summary = await runDigests(site, { frequency: 'daily', day: TUESDAY });
  assert.equal(summary.sent, 1);
  await sink.waitFor(() => mailsTo(email).length === 2);
  const digest = mailsTo(email)[1];
  assert.ok(digest);
  assert.equal(header(digest, 'From'), 'Dailypapers <digest@papers.example.org>');
  assert.equal(header(digest, 'To'), email);
  assert.equal(digest.raw.match(/^Message-ID:/gim)?.length, 1, 'one Message-ID');
  assert.equal(digest.raw.match(/^Date:/gim)?.length, 1, 'one Date');
  assert.match(header(digest, 'Message-ID'), /^<daily\.2026-11-24\.\d+\.[0-9a-f]+@papers\.example\.org>$/);
  assert.ok(Math.abs(Date.parse(header(digest, 'Date')) - Date.now()) < 60_000, 'a current Date header');
  assert.match(String(digest.parsed.subject), /^Trending papers · Tue, Nov 24, 2026$/);
  const unsubscribeUrl = linkIn(digest, '/subscriptions/unsubscribe/');
  assert.equal(header(digest, 'List-Unsubscribe'), `<${unsubscribeUrl}>`);
  assert.equal(header(digest, 'List-Unsubscribe-Post'), 'List-Unsubscribe=One-Click');

  // Both parts: the ten best papers of Monday in trending order, with authors, upvotes, abstract and links.
  const html = String(digest.parsed.html);
  const text = String(digest.parsed.text);
  assert.match(html, /<table role="presentation"/);
  assert.match(html, /<meta name="color-scheme" content="light dark">/);
  assert.match(html, /prefers-color-scheme: dark/);
  for (let index = 0; index < 10; index++) {
    const id = `2611.1${String(index).padStart(4, '0')}`;
    assert.ok(html.includes(`${site.url}/papers/${id}`), `HTML links paper ${id}`);
    assert.ok(text.includes(`${site.url}/papers/${id}`), `text links paper ${id}`);
  }
  assert.ok(!text.includes('2611.10010'), 'at most ten papers');
  assert.ok(text.indexOf('2611.10000') < text.indexOf('2611.10001'), 'most upvoted first');
  assert.match(text, /Ada Lovelace, Alan Turing/);
  assert.match(text, /▲ 200 upvotes/);
  assert.match(text, /We study diffusion models/);
  assert.match(text, /PDF: https:\/\/arxiv\.org\/pdf\/2611\.10000/);

  // Every link of the mail works against the running app.
  const view = await fetch(linkIn(digest, '/digests/'));
  assert.equal(view.status, 200);
  const viewHtml = await view.text();
  assert.ok(viewHtml.includes(`${site.url}/papers/2611.10000`));
  const paper = await fetch(`${site.url}/papers/2611.10000`);
  assert.equal(paper.status, 200);
  const manage = await fetch(linkIn(digest, '/subscriptions/manage/'));
  assert.equal(manage.status, 200);
  assert.match(await manage.text(), /Your digest/);

  // One-click unsubscribe as a mail client does it (RFC 8058): a POST with no cookie and no CSRF token.
  const oneClick = await fetch(unsubscribeUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'List-Unsubscribe=One-Click',
  });
  assert.equal(oneClick.status, 200);
  assert.match(await oneClick.text(), /You are unsubscribed/);
  const subscription = await site.store.subscriptions.findSubscriptionByEmail(email);
  assert.equal(subscription?.status, 'unsubscribed');

  summary = await runDigests(site, { frequency: 'daily', day: '2026-11-25' });
  assert.equal(mailsTo(email).length, 2, 'nothing is sent after unsubscribing');
});

test('one-click unsubscribe also accepts multipart/form-data, and a forged token is refused', async () => {
  await subscribeAndConfirm(site, sink, 'multi@example.org');
  const subscription = await site.store.subscriptions.findSubscriptionByEmail('multi@example.org');
  assert.ok(subscription);
  await runDigests(site, { frequency: 'daily', day: TUESDAY });
  const digest = mailsTo('multi@example.org').at(-1);
  assert.ok(digest);
  const url = linkIn(digest, '/subscriptions/unsubscribe/');
  const forged = url.replace(/.{4}$/, 'AAAA');
  const refused = await fetch(forged, {
    method: 'POST',
    body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }),
  });
  assert.equal(refused.status, 404);
  assert.equal((await site.store.subscriptions.getSubscription(subscription.id))?.status, 'active');

  const form = new FormData();
  form.set('List-Unsubscribe', 'One-Click');
  const response = await fetch(url, { method: 'POST', body: form });
  assert.equal(response.status, 200);
  assert.equal((await site.store.subscriptions.getSubscription(subscription.id))?.status, 'unsubscribed');
});

test('other POSTs still need the CSRF token (an anonymous subscribe, from this site only), including saving preferences', async () => {
  const client = new Visitor(site.url);
  const response = await client.request('/subscribe', {
    method: 'POST',
    body: new URLSearchParams({ email: 'csrf@example.org' }),
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'cross-site' },
  });
  assert.equal(response.status, 403);
  await subscribeAndConfirm(site, sink, 'prefs-csrf@example.org');
  const subscription = await site.store.subscriptions.findSubscriptionByEmail('prefs-csrf@example.org');
  assert.ok(subscription);
  await runDigests(site, { frequency: 'daily', day: TUESDAY });
  const digest = mailsTo('prefs-csrf@example.org').at(-1);
  assert.ok(digest);
  const manage = pathOf(linkIn(digest, '/subscriptions/manage/'));
  const refused = await client.postForm(manage, { frequency: 'weekly' }, { csrf: false });
  assert.equal(refused.status, 403);
  assert.equal((await site.store.subscriptions.getSubscription(subscription.id))?.frequency, 'daily');
});

test('re-subscribing gives the same answer whatever the address state; the mailbox learns the difference', async () => {
  const client = new Visitor(site.url);
  const email = 'twice@example.org';
  const answers: string[] = [];
  const normalize = (page: string) => page.replace(/name="_csrf" value="[^"]+"/g, '');
  const ask = async () => {
    const response = await client.postForm('/subscribe', { email, frequency: 'weekly', next: '/' });
    assert.equal(response.status, 200);
    answers.push(normalize(await response.text()));
  };
  await ask(); // new
  await ask(); // pending
  await subscribeAndConfirm(site, sink, email, { frequency: 'weekly' });
  const beforeActive = mailsTo(email).length;
  await ask(); // active
  assert.equal(new Set(answers).size, 1, 'new, pending and active addresses get the same page');
  await sink.waitFor(() => mailsTo(email).length === beforeActive + 1);
  const notice = mailsTo(email).at(-1);
  assert.equal(notice?.parsed.subject, 'You are already subscribed to Dailypapers');
  assert.ok(notice);
  const manage = await fetch(linkIn(notice, '/subscriptions/manage/'));
  assert.equal(manage.status, 200);
  assert.equal(
    (await site.store.subscriptions.findSubscriptionByEmail(email))?.status,
    'active',
    'still active, unchanged',
  );
});

test('an invalid email address gets a clear form error and no mail', async () => {
  const client = new Visitor(site.url);
  const before = sink.messages.length;
  for (const email of ['not-an-address', 'ada@', '', 'a b@example.org']) {
    const response = await client.postForm('/subscribe', { email, frequency: 'daily' });
    assert.equal(response.status, 400, email);
    const page = await response.text();
    assert.match(page, /aria-invalid="true" aria-describedby="email-error"/);
    assert.match(
      page,
      /id="email-error" role="alert">(enter an email address like ada@example\.org|enter your email address)</,
    );
  }
  const bad = await client.postForm('/subscribe', { email: 'ok@example.org', frequency: 'hourly' });
  assert.equal(bad.status, 400);
  assert.match(await bad.text(), /choose daily or weekly/);
  assert.equal(sink.messages.length, before);
});

test('a refused address and an unavailable mail server get clear answers; subscribing is rate limited', async () => {
  const client = new Visitor(site.url);
  sink.rejected.add('nobody@example.org');
  const refused = await client.postForm('/subscribe', { email: 'nobody@example.org', frequency: 'daily' });
  assert.equal(refused.status, 400);
  assert.match(await refused.text(), /the mail server for this address refused our mail/);
  sink.rejected.delete('nobody@example.org');

  sink.refuseFor({ until: Date.now() + 10_000, code: 451 });
  const down = await client.postForm('/subscribe', { email: 'later@example.org', frequency: 'daily' });
  assert.equal(down.status, 503);
  assert.match(await down.text(), /could not send the confirmation mail just now/);
  sink.refuseFor({});

  const flood = new Visitor(site.url);
  const statuses: number[] = [];
  for (let index = 0; index < 11; index++) {
    statuses.push((await flood.postForm('/subscribe', { email: `flood${index}@example.org` })).status);
  }
  assert.deepEqual(statuses.slice(0, 10), Array(10).fill(200));
  assert.equal(statuses[10], 429);
});

test('the preferences page from the signed link changes frequency and topics, and can leave', async () => {
  const email = 'prefs@example.org';
  await subscribeAndConfirm(site, sink, email);
  await runDigests(site, { frequency: 'daily', day: TUESDAY });
  const digest = mailsTo(email).at(-1);
  assert.ok(digest);
  const client = new Visitor(site.url);
  const manage = pathOf(linkIn(digest, '/subscriptions/manage/'));
  const page = await (await client.get(manage)).text();
  assert.match(page, /For prefs@example\.org/);
  const saved = await client.postForm(manage, {
    frequency: 'weekly',
    queries: 'graph neural networks\nspeech recognition',
    authors: 'Ada Lovelace',
    organizations: '',
  });
  assert.equal(saved.status, 200);
  assert.match(await saved.text(), /Saved\./);
  const subscription = await site.store.subscriptions.findSubscriptionByEmail(email);
  assert.equal(subscription?.frequency, 'weekly');
  assert.deepEqual(subscription?.topics, {
    queries: ['graph neural networks', 'speech recognition'],
    authors: ['Ada Lovelace'],
    organizations: [],
  });
  const invalid = await client.postForm(manage, { frequency: 'weekly', queries: '!!!' });
  assert.equal(invalid.status, 400);
  assert.match(await invalid.text(), /no letters or digits/);

  const unsubscribePage = await client.get(pathOf(linkIn(digest, '/subscriptions/unsubscribe/')));
  assert.match(await unsubscribePage.text(), /Unsubscribe from Dailypapers digests\?/);
  const left = await client.postForm(pathOf(linkIn(digest, '/subscriptions/unsubscribe/')), {});
  assert.equal(left.status, 200);
  assert.equal((await site.store.subscriptions.findSubscriptionByEmail(email))?.status, 'unsubscribed');
  const back = await client.postForm(manage, { frequency: 'daily', queries: '' });
  assert.equal(back.status, 200);
  assert.equal(
    (await site.store.subscriptions.findSubscriptionByEmail(email))?.status,
    'active',
    'saving subscribes again',
  );
});

test('topic digests hold the best matches of the period; papers already sent are skipped the next day', async () => {
  const email = 'topics@example.org';
  await subscribeAndConfirm(site, sink, email, { queries: 'graph neural networks' });
  const confirmation = mailsTo(email)[0];
  assert.equal(confirmation?.parsed.subject, 'Confirm your Dailypapers subscription');
  assert.match(
    String(confirmation?.parsed.text),
    /asked for a daily digest \(weekdays\) of research papers on graph neural networks from/,
    'the confirmation names the topic',
  );
  await runDigests(site, { frequency: 'daily', day: TUESDAY });
  const first = mailsTo(email).at(-1);
  assert.ok(first);
  assert.match(String(first.parsed.subject), /^Papers on graph neural networks · Tue, Nov 24, 2026$/);
  const text = String(first.parsed.text);
  const ids = [...text.matchAll(/\/papers\/(2611\.\d+)/g)].map((match) => match[1]);
  // Graph papers are index 2, 6, 10, …: the six of them, most upvoted first, and nothing else.
  assert.deepEqual(
    [...new Set(ids)],
    ['2611.10002', '2611.10006', '2611.10010', '2611.10014', '2611.10018', '2611.10022'],
  );

  // Saved searches use the site's query language: a phrase, an exclusion.
  await subscribeAndConfirm(site, sink, 'phrase@example.org', { queries: '"speech recognition" -study' });
  await subscribeAndConfirm(site, sink, 'speech@example.org', { queries: '"speech recognition"' });
  await runDigests(site, { frequency: 'daily', day: TUESDAY });
  const phrase = mailsTo('phrase@example.org').at(-1);
  assert.equal(phrase?.parsed.subject, 'Confirm your Dailypapers subscription', 'nothing matched: no digest');
  const speech = String(mailsTo('speech@example.org').at(-1)?.parsed.text);
  assert.deepEqual(
    [...new Set([...speech.matchAll(/\/papers\/(2611\.\d+)/g)].map((match) => match[1]))],
    ['2611.10003', '2611.10007', '2611.10011', '2611.10015', '2611.10019', '2611.10023'],
  );

  // Switching to weekly: the week's digest (Monday and Tuesday) skips Monday's papers, sent already.
  const subscription = await site.store.subscriptions.findSubscriptionByEmail(email);
  assert.ok(subscription);
  await site.store.subscriptions.updateSubscription(
    subscription.id,
    { frequency: 'weekly' },
    new Date().toISOString(),
  );
  await site.store.papers.writeBatch(papersOn(TUESDAY, 8, '2'));
  await runDigests(site, { frequency: 'weekly', day: '2026-11-30' });
  const second = mailsTo(email).at(-1);
  assert.ok(second && second !== first);
  assert.match(String(second.parsed.subject), /^Papers on graph neural networks · week 48 of 2026$/);
  const secondIds = [
    ...new Set([...String(second.parsed.text).matchAll(/\/papers\/(2611\.\d+)/g)].map((m) => m[1])),
  ];
  assert.deepEqual(secondIds, ['2611.20002', '2611.20006']);
});

test('an expired or tampered confirmation link is refused with a clear page', async () => {
  const { MailLinks } = await import('../src/services/mail-links.ts');
  const links = await MailLinks.forSite(site.store, site.config);
  const subscription = await site.store.subscriptions.createSubscription(
    {
      email: 'late@example.org',
      frequency: 'daily',
      topics: { queries: [], authors: [], organizations: [] },
      memberId: null,
    },
    new Date().toISOString(),
  );
  const expired = links.confirmUrl(subscription, new Date(Date.now() - 8 * 86_400_000));
  const response = await fetch(expired);
  assert.equal(response.status, 410);
  assert.match(await response.text(), /Link expired/);
  const tampered = links.confirmUrl(subscription, new Date()).replace('/confirm/', '/confirm/x');
  assert.equal((await fetch(tampered)).status, 404);
  // A manage token is not a confirmation token.
  const wrongPurpose = `${site.url}/subscriptions/confirm/${links.manageToken(subscription.id)}`;
  assert.equal((await fetch(wrongPurpose)).status, 404);
  assert.equal((await site.store.subscriptions.getSubscription(subscription.id))?.status, 'pending');
});

test('a permanent rejection (550) marks the address bounced and it is not mailed again', async () => {
  const email = 'gone@example.org';
  await subscribeAndConfirm(site, sink, email);
  sink.rejected.add(email);
  const summary = await runDigests(site, { frequency: 'daily', day: TUESDAY });
  assert.equal(summary.rejected, 1);
  const subscription = await site.store.subscriptions.findSubscriptionByEmail(email);
  assert.equal(subscription?.status, 'bounced');
  assert.match(subscription?.bounceReason ?? '', /550/);
  sink.rejected.delete(email);
  await site.store.papers.writeBatch(papersOn('2026-11-26', 3, '3'));
  const again = await runDigests(site, { frequency: 'daily', day: '2026-11-27' });
  assert.equal(mailsTo(email).length, 1, 'only the confirmation ever arrived');
  assert.equal(again.rejected, 0);
  assert.ok(again.sent > 0, 'the others got theirs');
});

test('the admin page is for admins and shows the mail mode, subscriber counts and digest runs', async () => {
  const visitor = new Visitor(site.url);
  assert.equal((await visitor.get('/admin')).status, 302);
  const admin = new Visitor(site.url);
  await site.member(admin, 'root', { admin: true });
  const member = new Visitor(site.url);
  await site.signUp(member, 'someone');
  assert.equal((await member.get('/admin')).status, 403);
  const page = await (await admin.get('/admin')).text();
  assert.match(page, new RegExp(`SMTP via 127\\.0\\.0\\.1:${sink.port}`));
  assert.match(page, /<th>active<\/th>/);
  assert.match(page, /daily:2026-11-24/);
});
