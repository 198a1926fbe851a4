// axe-core, loaded from node_modules into each page, on every page of the site in light and dark mode: no serious
// or critical violation may remain. That includes the pages behind emailed tokens (found the way a reader finds
// them, in the site's outbox), every personal and member page with something on it, the first admin's setup page,
// and the pages a sent form answers with (done, its problems shown again, rate-limited). Every page route of the
// table must be visited: a page added without a visit here fails the test.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import Fastify from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { SiteClient } from '../scripts/lib/http-client.ts';
import type { Member } from '../src/domain/member.ts';
import { openAdminSetup } from '../src/services/account-lifecycle.ts';
import { AccountLinks } from '../src/services/account-links.ts';
import { startSession } from '../src/services/accounts.ts';
import { claimAuthorPage } from '../src/services/author-claims.ts';
import { commentOnPaper } from '../src/services/engagement.ts';
import { follow } from '../src/services/follows.ts';
import { savePaper, setCollection } from '../src/services/library.ts';
import { MailLinks } from '../src/services/mail-links.ts';
import { fastifyUrls } from '../src/web/routes/register-routes.ts';
import { ROUTES } from '../src/web/routes/route-table.ts';
import { ROUTER_OPTIONS } from '../src/web/server.ts';
import { addMember, TEST_PASSWORD } from './helpers/accounts.ts';
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
  '/papers/date?date=2026-11-20',
  '/papers/week?week=2026-W47',
  '/papers/month?month=2026-11',
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
  '/search?q=after:someday',
  '/password/reset/not-a-token',
  '/authors/%E0%A4%A',
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
  '/collections/reader/private-reading',
  '/users/reader',
  '/authors/Ada%20Lovelace',
  '/authors/Alan%20Turing',
];
/** A member with no signal yet: For you shows its onboarding. */
const NEWCOMER_PAGES = ['/for-you', '/library', '/following', '/notifications', '/users/newcomer'];
const ADMIN_PAGES = ['/admin'];
/** A member who has not confirmed the address yet: the account page offers a new confirmation mail. */
const UNCONFIRMED_PAGES = ['/account', '/for-you'];
/** Pages anonymous visitors reach from the lists of others. */
const SHARED_MEMBER_PAGES = [
  '/users/reader',
  '/collections/reader/reasoning',
  '/collections/reader/private-reading',
];

const MONDAY = '2026-11-23';
/** Pages meant to answer with an error, and its status. */
const ERROR_PAGES = new Map([
  ['/no-such-page', 404],
  ['/search?q=after:someday', 400], // a bad parameter
  ['/password/reset/not-a-token', 404], // "Link not usable"
  ['/subscriptions/manage/not-a-token', 404],
  ['/authors/%E0%A4%A', 400], // a path that is no UTF-8
]);
/** Links whose status changes as the test goes: a verification link is spent by its first visit, the setup link
 * once there is an admin. */
const SPENDABLE_LINKS = /^\/(account\/verify|setup)\//;
/** Pages a visitor may not see (a private collection is its owner's). */
const REFUSED_TO_VISITORS = new Set(['/collections/reader/private-reading']);

/** A form filled in and sent in the browser `sends` times (default once): the page it answers with is checked. */
interface FormVisit {
  path: string;
  fields: Record<string, string>;
  status: number;
  sends?: number;
  /** Sent by a member with this session. */
  session?: string;
}

let site: RunningSite;
let browser: Browser;
/** Every path the browser was sent to: each page route of the table must be among them. */
const visited = new Set<string>();
/** Each browser context comes from an address of its own (TRUST_PROXY), so the forms' rate limits count apart. */
let addresses = 0;

before(async () => {
  site = await startSite({
    env: { TRUST_PROXY: '1' },
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

/** A member with something on every personal page: saves, a public and a private collection, follows, a reply, a claim. */
async function personalState(reader: Member, admin: Member): Promise<void> {
  const { store } = site;
  await savePaper(store, reader, '2611.00001', ['reasoning', 'to read']);
  await savePaper(store, reader, '2611.50001', []);
  await setCollection(store, reader, {
    tag: 'reasoning',
    visibility: 'public',
    description: 'Papers on thinking',
  });
  await savePaper(store, reader, '2611.00002', ['private reading']);
  await setCollection(store, reader, {
    tag: 'private reading',
    visibility: 'private',
    description: 'Mine only',
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

/** The status a page answers with: some are meant to fail, and a private collection is refused to visitors. */
function expectedStatus(path: string, session: string | null): number | null {
  if (!session && REFUSED_TO_VISITORS.has(path)) return 404;
  if (SPENDABLE_LINKS.test(path)) return null;
  return ERROR_PAGES.get(path) ?? 200;
}

/** The serious and critical violations axe-core finds on the page the browser shows. */
async function axeProblems(page: Page, label: string): Promise<string[]> {
  await page.addScriptTag({ content: AXE_SOURCE });
  const violations = (await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: Violation[] }> } }).axe;
    return (await axe.run()).violations;
  })) as Violation[];
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${label}: ${violation.id} ${violation.help} at ${violation.nodes
          .slice(0, 3)
          .map((node) => JSON.stringify(node.target))
          .join(', ')}`,
    );
}

/** Fills in the page's form that has `fields` and sends it (past the browser's own checks): the answer's status. */
async function sendForm(page: Page, fields: Record<string, string>): Promise<number> {
  const form = page.locator(`main form:has([name="${Object.keys(fields)[0]}"])`).first();
  for (const [name, value] of Object.entries(fields)) {
    const field = form.locator(`[name="${name}"]`);
    // A hidden field (the CSRF token) is set as a script would; the browser lets nobody type into it.
    if ((await field.getAttribute('type')) === 'hidden')
      await field.evaluate((element, text) => {
        (element as HTMLInputElement).value = text;
      }, value);
    else await field.fill(value);
  }
  await form.evaluate((element) => {
    (element as HTMLFormElement).noValidate = true;
  });
  const [response] = await Promise.all([page.waitForNavigation(), form.locator('[type=submit]').click()]);
  return response?.status() ?? 0;
}

async function serious(
  path: string,
  scheme: 'light' | 'dark',
  session: string | null,
  form?: Omit<FormVisit, 'path'>,
): Promise<string[]> {
  addresses += 1;
  const context = await browser.newContext({
    colorScheme: scheme,
    bypassCSP: true,
    extraHTTPHeaders: { 'x-forwarded-for': `198.51.100.${addresses % 250}` },
  });
  if (session) await context.addCookies([{ name: 'dp_session', value: session, url: site.url }]);
  const page = await context.newPage();
  visited.add(path);
  try {
    const response = await page.goto(`${site.url}${path}`);
    const status = response?.status() ?? 0;
    const expected = form ? 200 : expectedStatus(path, session);
    if (expected !== null && status !== expected) return [`${path} (${scheme}): answered ${status}`];
    // A member's page is the member's, not the log-in form it would send a visitor to.
    if (session && addressOf(page.url()) !== addressOf(path))
      return [`${path} (${scheme}): went to ${page.url()}`];
    if (!form) return await axeProblems(page, `${path} (${scheme})`);
    let answered = 0;
    for (let sent = 0; sent < (form.sends ?? 1); sent += 1) {
      if (sent > 0) await page.goto(`${site.url}${path}`);
      answered = await sendForm(page, form.fields);
    }
    const label = `${path} sent (${scheme})`;
    if (answered !== form.status) return [`${label}: answered ${answered}, not ${form.status}`];
    return await axeProblems(page, label);
  } finally {
    await context.close();
  }
}

/** The forms whose answers are checked, in `scheme`: each made anew, as some work once (a reset link). */
async function formVisits(
  scheme: 'light' | 'dark',
  sessions: { member: string; unconfirmed: string },
): Promise<FormVisit[]> {
  const name = `sender-${scheme}`;
  const resetting = await site.store.members.createMember({
    username: `reset-${scheme}`,
    email: `reset-${scheme}@example.org`,
    passwordHash: `hash-${scheme}`,
    role: 'member',
    emailVerified: true,
  });
  const links = await AccountLinks.forSite(site.store, site.config);
  const reset = links.resetUrl(resetting.id, `hash-${scheme}`, new Date()).slice(site.url.length);
  return [
    {
      path: '/signup',
      fields: { username: name, email: `${name}@example.org`, password: TEST_PASSWORD },
      status: 200,
    },
    {
      path: '/signup',
      fields: { username: `${name}-weak`, email: `${name}-weak@example.org`, password: 'short' },
      status: 400,
    },
    { path: '/login', fields: { username: 'reader', password: 'not the password' }, status: 400 },
    { path: '/subscribe', fields: { email: `${name}@example.org` }, status: 200 },
    { path: '/password/forgot', fields: { email: 'reader@example.org' }, status: 200 },
    { path: reset, fields: { password: `${TEST_PASSWORD} ${scheme}` }, status: 200 },
    // The mail limit per address is 5 an hour: the sixth gets the rate-limited page.
    { path: '/password/forgot', fields: { email: 'reader@example.org' }, status: 429, sends: 6 },
    // A member whose address is not confirmed yet is asked to confirm it first.
    { path: '/submit', fields: { paper: '2611.00002' }, status: 403, session: sessions.unconfirmed },
    // A form whose CSRF token is not the session's: "Form expired".
    {
      path: '/account',
      fields: { current: TEST_PASSWORD, password: `${TEST_PASSWORD}!`, _csrf: 'forged' },
      status: 403,
      session: sessions.member,
    },
    // The account page shown again with its form's problem.
    {
      path: '/account',
      fields: { current: 'not the password', password: 'short' },
      status: 400,
      session: sessions.member,
    },
  ];
}

/** The page routes of the table served for `paths` (found by a router like the site's with those routes only). */
async function pageRoutesServing(paths: Iterable<string>): Promise<Set<string>> {
  const router = Fastify({ routerOptions: ROUTER_OPTIONS });
  for (const route of ROUTES.filter((route) => route.kind === 'page'))
    for (const url of fastifyUrls(route.url)) router.get(url, async () => route.url);
  const served = new Set<string>();
  for (const path of paths) {
    const response = await router.inject(path);
    if (response.statusCode === 200) served.add(response.body);
  }
  await router.close();
  return served;
}

test('every page has no serious or critical axe-core violation, in light and dark mode', async () => {
  const reader = await addMember(site.store, 'reader');
  // The first admin's setup page exists until there is an admin.
  const setupToken = await openAdminSetup(site.store);
  assert.ok(setupToken);
  const setup = `/setup/${setupToken}`;
  const found: string[] = [];
  for (const scheme of ['light', 'dark'] as const) {
    found.push(...(await serious(setup, scheme, null)));
    const weak = { username: 'keeper', email: 'keeper@example.org', password: 'short' };
    found.push(...(await serious(setup, scheme, null, { fields: weak, status: 400 })));
  }
  const keeper = await addMember(site.store, 'keeper', { admin: true });
  await personalState(reader, keeper);
  const member = await startSession(site.store, reader);
  const admin = await startSession(site.store, keeper);
  const newcomer = await sessionOf('newcomer', false);
  const unconfirmed = await startSession(
    site.store,
    await site.store.members.createMember({
      username: 'unconfirmed',
      email: 'unconfirmed@example.org',
      passwordHash: 'not-used',
      role: 'member',
      emailVerified: false,
    }),
  );
  const emailed = await tokenPages();
  for (const scheme of ['light', 'dark'] as const) {
    // Spent now that there is an admin: the "link not usable" page.
    for (const path of [...ANONYMOUS_PAGES, ...SHARED_MEMBER_PAGES, ...emailed, setup])
      found.push(...(await serious(path, scheme, null)));
    for (const path of MEMBER_PAGES) found.push(...(await serious(path, scheme, member)));
    for (const path of NEWCOMER_PAGES) found.push(...(await serious(path, scheme, newcomer)));
    for (const path of ADMIN_PAGES) found.push(...(await serious(path, scheme, admin)));
    for (const path of UNCONFIRMED_PAGES) found.push(...(await serious(path, scheme, unconfirmed)));
    for (const { path, session, ...form } of await formVisits(scheme, { member, unconfirmed }))
      found.push(...(await serious(path, scheme, session ?? null, form)));
  }
  assert.deepEqual(found, []);
  const served = await pageRoutesServing(visited);
  const unvisited = ROUTES.filter((route) => route.kind === 'page' && !served.has(route.url));
  assert.deepEqual(
    unvisited.map((route) => route.url),
    [],
    'every page route of the table is visited here',
  );
});
