// axe-core, loaded from node_modules into each page, on every page of the site in light and dark mode: no serious
// or critical violation may remain. That includes the pages behind emailed tokens (found the way a reader finds
// them, in the site's outbox) and every personal and member page, with something on it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { SiteClient } from '../scripts/lib/http-client.ts';
import type { Member } from '../src/domain/member.ts';
import { AccountLinks } from '../src/services/account-links.ts';
import { startSession } from '../src/services/accounts.ts';
import { claimAuthorPage } from '../src/services/author-claims.ts';
import { commentOnPaper } from '../src/services/engagement.ts';
import { follow } from '../src/services/follows.ts';
import { savePaper, setCollection } from '../src/services/library.ts';
import { MailLinks } from '../src/services/mail-links.ts';
import { addMember } from './helpers/accounts.ts';
import { launchBrowser } from './helpers/browser.ts';
import { papersOn, runDigests } from './helpers/digests.ts';
import { author, listedOn } from './helpers/records.ts';
import { type RunningSite, startSite } from './helpers/site.ts';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown[] }>;
}

const ANONYMOUS_PAGES = [
  '/',
  '/papers/trending',
  '/papers/date/2026-11-20',
  '/papers/week/2026-W47',
  '/papers/month/2026-11',
  '/papers/2611.00001',
  '/search?q=reasoning',
  '/search?q=nothing-matches-this',
  '/authors/Ada%20Lovelace',
  '/orgs/acme',
  '/login',
  '/signup',
  '/password/forgot',
  '/subscribe',
  '/api/docs',
  '/no-such-page',
];
const MEMBER_PAGES = [
  '/',
  '/papers/2611.00001',
  '/submit',
  '/account',
  '/for-you',
  '/for-you?tag=reasoning',
  '/library',
  '/library?tag=reasoning',
  '/following',
  '/notifications',
  '/collections/reader/reasoning',
  '/users/reader',
  '/authors/Ada%20Lovelace',
  '/authors/Alan%20Turing',
];
/** A member with no signal yet: For you shows its onboarding. */
const NEWCOMER_PAGES = ['/for-you', '/library', '/following', '/notifications', '/users/newcomer'];
const ADMIN_PAGES = ['/admin'];
/** Pages anonymous visitors reach from the lists of others. */
const SHARED_MEMBER_PAGES = ['/users/reader', '/collections/reader/reasoning'];

const MONDAY = '2026-11-23';
/** Pages that are meant to answer with an error status (a verification link is spent by its first visit). */
const FAILURE_PAGES = /^\/(no-such-page|subscriptions\/manage\/not-a-token|account\/verify\/.*)$/;

let site: RunningSite;
let browser: Browser;

before(async () => {
  site = await startSite({
    records: [
      listedOn('2026-11-20', '2611.00001', {
        title: 'Reasoning with <think> tokens',
        abstract: 'Ends at <EOS>.',
        authors: [author('Ada Lovelace'), author('Alan Turing')],
        organization: { name: 'acme', fullName: 'Acme Labs', avatarUrl: null },
        githubRepo: 'https://github.com/a/b',
        importedUpvotes: 12,
      }),
      listedOn('2026-11-20', '2611.00002', { title: 'A second paper', authors: [author('Ada Lovelace')] }),
      ...papersOn(MONDAY, 3, '5'),
    ],
  });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await site?.close();
});

async function sessionOf(username: string, admin: boolean): Promise<string> {
  return startSession(site.store, await addMember(site.store, username, { admin }));
}

/** The path of the first link to `prefix` in the site's mail to `email`. */
async function mailedPath(email: string, prefix: string): Promise<string> {
  const mails = (await site.mailbox.all()).filter((mail) => mail.to.includes(email));
  const link = mails
    .map((mail) => new RegExp(`${site.url}(${prefix}[^\\s>"]+)`).exec(mail.text)?.[1])
    .find(Boolean);
  assert.ok(link, `a mail to ${email} links to ${prefix}`);
  return link;
}

/** Subscribes through the site, confirms, and receives a daily digest: the pages its mails link to. */
async function tokenPages(): Promise<string[]> {
  const email = 'reader-mail@example.org';
  const visitor = new SiteClient(site.url);
  const subscribed = await visitor.postForm('/subscribe', { email, frequency: 'daily' });
  assert.equal(subscribed.status, 200);
  const confirm = await mailedPath(email, '/subscriptions/confirm/');
  assert.equal((await visitor.postForm(confirm, {})).status, 200);
  await runDigests(site, { frequency: 'daily', day: '2026-11-24' });
  const subscription = await site.store.subscriptions.findSubscriptionByEmail(email);
  assert.ok(subscription);
  const links = await MailLinks.forSite(site.store, site.config);
  const accountLinks = await AccountLinks.forSite(site.store, site.config);
  const pending = await site.store.members.createMember({
    username: 'mailreader',
    email: 'mailreader@example.org',
    passwordHash: 'not-used',
    role: 'member',
    emailVerified: false,
  });
  const path = (url: string) => url.slice(site.url.length);
  return [
    confirm,
    await mailedPath(email, '/digests/'),
    path(links.manageUrl(subscription.id)),
    path(links.unsubscribeUrl(subscription.id)),
    path(accountLinks.resetUrl(pending.id, 'not-used', new Date())),
    path(accountLinks.verifyUrl(pending.id, pending.email, new Date())),
    '/subscriptions/manage/not-a-token',
  ];
}

/** A member with something on every personal page: saves, a public collection, follows, a reply, a claim. */
async function personalState(reader: Member, admin: Member): Promise<void> {
  const { store } = site;
  await savePaper(store, reader, '2611.00001', ['reasoning', 'to read']);
  await savePaper(store, reader, '2611.50001', []);
  await setCollection(store, reader, {
    tag: 'reasoning',
    visibility: 'public',
    description: 'Papers on thinking',
  });
  await follow(store, reader, { kind: 'author', target: 'Ada Lovelace' });
  await follow(store, reader, { kind: 'topic', target: 'diffusion models', label: 'Diffusion' });
  const question = await commentOnPaper(store, reader, {
    paperId: '2611.00001',
    parentId: null,
    body: 'Why?',
  });
  await commentOnPaper(store, admin, { paperId: '2611.00001', parentId: question.id, body: 'Because.' });
  await claimAuthorPage(store, reader, 'Alan Turing');
}

/** A URL's path and query. */
const addressOf = (url: string) => {
  const parsed = new URL(url, site.url);
  return `${parsed.pathname}${parsed.search}`;
};

async function serious(path: string, scheme: 'light' | 'dark', session: string | null): Promise<string[]> {
  const context = await browser.newContext({ colorScheme: scheme, bypassCSP: true });
  if (session) await context.addCookies([{ name: 'dp_session', value: session, url: site.url }]);
  const page = await context.newPage();
  try {
    const response = await page.goto(`${site.url}${path}`);
    const status = response?.status() ?? 0;
    if (status !== 200 && !FAILURE_PAGES.test(path)) return [`${path} (${scheme}): answered ${status}`];
    // A member's page is the member's, not the log-in form it would send a visitor to.
    if (session && addressOf(page.url()) !== addressOf(path))
      return [`${path} (${scheme}): went to ${page.url()}`];
    await page.addScriptTag({ content: AXE_SOURCE });
    const violations = (await page.evaluate(async () => {
      const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: Violation[] }> } }).axe;
      return (await axe.run()).violations;
    })) as Violation[];
    return violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map(
        (violation) =>
          `${path} (${scheme}): ${violation.id} ${violation.help} at ${violation.nodes
            .slice(0, 3)
            .map((node) => JSON.stringify(node.target))
            .join(', ')}`,
      );
  } finally {
    await context.close();
  }
}

test('every page has no serious or critical axe-core violation, in light and dark mode', async () => {
  const reader = await addMember(site.store, 'reader');
  const keeper = await addMember(site.store, 'keeper', { admin: true });
  await personalState(reader, keeper);
  const member = await startSession(site.store, reader);
  const admin = await startSession(site.store, keeper);
  const newcomer = await sessionOf('newcomer', false);
  const emailed = await tokenPages();
  const found: string[] = [];
  for (const scheme of ['light', 'dark'] as const) {
    for (const path of [...ANONYMOUS_PAGES, ...SHARED_MEMBER_PAGES, ...emailed])
      found.push(...(await serious(path, scheme, null)));
    for (const path of MEMBER_PAGES) found.push(...(await serious(path, scheme, member)));
    for (const path of NEWCOMER_PAGES) found.push(...(await serious(path, scheme, newcomer)));
    for (const path of ADMIN_PAGES) found.push(...(await serious(path, scheme, admin)));
  }
  assert.deepEqual(found, []);
});
