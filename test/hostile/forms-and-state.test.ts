// Hostile forms and state: every POST route with repeated, huge and control-character fields and odd `next` and
// Referer values (routes taken from the app itself, so new ones are covered); a failed database call that must not
// stick; confirmation links after unsubscribing; hidden papers refusing upvotes and comments; arXiv unreachable.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { SiteClient } from '../../scripts/lib/http-client.ts';
import type { Member } from '../../src/domain/member.ts';
import { createAccount, startSession } from '../../src/services/accounts.ts';
import { commentOnPaper, HiddenPaperError, upvotePaper } from '../../src/services/engagement.ts';
import { buildServer } from '../../src/web/server.ts';
import { pathOf, Visitor } from '../helpers/digests.ts';
import { type FakeArxiv, startFakeArxiv } from '../helpers/fake-arxiv.ts';
import { listedOn } from '../helpers/records.ts';
import { type RunningSite, startSite } from '../helpers/site.ts';
import { linkIn, type SmtpSink, startSmtpSink } from '../helpers/smtp-sink.ts';
import { STORE_KINDS } from '../helpers/stores.ts';

const DAY = '2026-11-23';
const PAPER = '2611.00001';
const PASSWORD = 'a long unusual passphrase 7x';

/** A client logged in as a new member (an admin when asked), made through the account service. */
async function memberClient(
  site: RunningSite,
  username: string,
  admin = false,
): Promise<SiteClient & { member: Member }> {
  const member = await createAccount(
    site.store,
    { username, email: `${username}@example.org`, password: PASSWORD },
    { admin },
  );
  const client = new Visitor(site.url);
  client.setCookie('dp_session', await startSession(site.store, member));
  await client.get('/');
  return Object.assign(client, { member });
}

/** The site's routes of one method, from the app's own route table, with their parameters filled in. */
async function routePaths(site: RunningSite, method: 'GET' | 'POST', commentId: number): Promise<string[]> {
  const app = await buildServer({ store: site.store, config: site.config });
  const routes = app.routeList.filter((route) => route.method === method).map((route) => route.url);
  await app.close();
  assert.ok(routes.length >= 10, `${method} routes found: ${routes.join(', ')}`);
  return routes.flatMap((url) => {
    if (url.startsWith('/assets/')) return [];
    if (url === '/papers/*')
      return ['upvote', 'comments', 'hide'].map((action) => `/papers/${PAPER}/${action}`);
    return [
      url
        .replace(':token', 'not-a-token')
        .replace(':id', String(commentId))
        .replace(/:[a-z]+/g, 'x')
        .replace('*', PAPER),
    ];
  });
}

const FIELDS = [
  'email',
  'body',
  'next',
  'paper',
  'username',
  'password',
  'upvoted',
  'hidden',
  'frequency',
  'queries',
  'parentId',
  'currentPassword',
  'newPassword',
];

const ODD_NEXT = [
  '/%C4%81',
  '/ā',
  '/\uD800',
  '//evil.example',
  '/\\evil.example',
  'https://evil.example/',
  'javascript:alert(1)',
  '/%',
  '/%E0%A4%A',
  '/a\u0085b',
  '',
];

const ODD_REFERERS = ['not a url', 'http://[', 'javascript:alert(1)', '//evil.example/x', 'http://a/%'];

function formBody(pairs: Array<[string, string]>): string {
  return new URLSearchParams(pairs).toString();
}

describe('every form route on hostile input', () => {
  let site: RunningSite;
  let admin: SiteClient & { member: Member };
  let paths: string[];
  let getPaths: string[];

  before(async () => {
    site = await startSite({ env: { TRUST_PROXY: '127.0.0.1' }, records: [listedOn(DAY, PAPER)] });
    admin = await memberClient(site, 'fuzzadmin', true);
    const comment = await site.store.engagement.addComment({
      paperId: PAPER,
      memberId: admin.member.id,
      parentId: null,
      body: 'hi',
    });
    paths = await routePaths(site, 'POST', comment.id);
    getPaths = await routePaths(site, 'GET', comment.id);
  });
  after(() => site?.close());

  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    admin.request(path, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    });

  test('a field sent twice is a 400 that names it, on every form', async () => {
    for (const path of paths) {
      for (const field of FIELDS) {
        const response = await post(
          path,
          formBody([
            ['_csrf', admin.csrfToken],
            [field, 'a@example.org'],
            [field, 'b@example.org'],
          ]),
        );
        const text = await response.text();
        assert.equal(response.status, 400, `${path} ${field} twice: ${response.status}`);
        assert.ok(text.includes(`“${field}” was sent twice`), `${path}: ${text.slice(0, 300)}`);
      }
      const twice = await post(
        path,
        formBody([
          ['_csrf', admin.csrfToken],
          ['_csrf', admin.csrfToken],
        ]),
      );
      assert.equal(twice.status, 400, `${path} _csrf twice`);
      await twice.arrayBuffer();
    }
  });

  test('huge fields, control characters and non-text JSON are refused with a 4xx, never a 500', async () => {
    for (const path of paths) {
      const huge = await post(
        path,
        formBody([
          ['_csrf', admin.csrfToken],
          ['body', 'x'.repeat(1_048_576)],
        ]),
      );
      assert.ok(huge.status >= 400 && huge.status < 500, `${path} 1 MB field: ${huge.status}`);
      await huge.arrayBuffer();
      for (const field of FIELDS) {
        const long = await post(
          path,
          formBody([
            ['_csrf', admin.csrfToken],
            [field, 'x'.repeat(20_000)],
          ]),
        );
        assert.equal(long.status, 400, `${path} 20,000 characters in ${field}`);
        assert.match(await long.text(), /at most 10000 characters/);
        for (const control of ['\u0001', 'a\u0000b', '\u001b[31m', '\u007f', '\u0085']) {
          const response = await post(
            path,
            formBody([
              ['_csrf', admin.csrfToken],
              [field, control],
            ]),
          );
          assert.equal(response.status, 400, `${path} ${field}=${JSON.stringify(control)}`);
          assert.match(await response.text(), /contains a control character/);
        }
        const json = await admin.request(path, {
          method: 'POST',
          body: JSON.stringify({ [field]: ['a', 'b'] }),
          headers: { 'content-type': 'application/json', 'x-csrf-token': admin.csrfToken },
        });
        assert.ok(json.status >= 400 && json.status < 500, `${path} JSON array ${field}: ${json.status}`);
        await json.arrayBuffer();
      }
    }
  });

  test('odd next and Referer values never cause a 500, and redirects stay on the site', async () => {
    // Logging out would end the admin's session for the tests after this one.
    for (const path of paths.filter((path) => path !== '/logout')) {
      for (const next of ODD_NEXT) {
        for (const referer of ODD_REFERERS) {
          const response = await post(
            path,
            formBody([
              ['_csrf', admin.csrfToken],
              ['next', next],
              ['hidden', 'false'],
              ['upvoted', 'true'],
            ]),
            { referer },
          );
          assert.ok(
            response.status < 500,
            `${path} next=${JSON.stringify(next)} referer=${referer}: ${response.status}`,
          );
          const location = response.headers.get('location');
          if (location) assert.match(location, /^\/(?![/\\])/, `${path} redirects to ${location}`);
          await response.arrayBuffer();
        }
      }
    }
    const upvote = await post(
      `/papers/${PAPER}/upvote`,
      formBody([
        ['_csrf', admin.csrfToken],
        ['next', '/ā'],
      ]),
    );
    assert.equal(upvote.status, 303);
    assert.equal(upvote.headers.get('location'), '/%C4%81');
    const login = new Visitor(site.url);
    const page = await login.get(`/login?next=${encodeURIComponent('/%C4%81')}`);
    assert.equal(page.status, 200);
    await page.arrayBuffer();
    const loggedIn = await login.postForm('/login', {
      username: 'fuzzadmin',
      password: PASSWORD,
      next: '/ā',
    });
    assert.equal(loggedIn.status, 303);
    assert.equal(loggedIn.headers.get('location'), '/%C4%81');
  });

  test('query parameters sent twice or oddly never cause a 500 on any page', async () => {
    const names = ['q', 'next', 'email', 'date', 'week', 'month', 'p', 'limit', 'sort', 'frequency', 'mode'];
    const odd = ['a', '/%C4%81', '\u0001', 'x'.repeat(5000)];
    for (const path of getPaths) {
      const twice = names.flatMap((name) => [`${name}=1`, `${name}=2`]).join('&');
      const queries = [
        twice,
        ...odd.map((value) => names.map((name) => `${name}=${encodeURIComponent(value)}`).join('&')),
      ];
      for (const query of queries) {
        const response = await admin.get(`${path}?${query}`);
        assert.ok(response.status < 500, `GET ${path}?${query.slice(0, 80)}: ${response.status}`);
        await response.arrayBuffer();
      }
    }
  });

  test('member text over its limit gets a 400 naming the limit', async () => {
    const writer = await memberClient(site, 'limits');
    const comment = await writer.postForm(`/papers/${PAPER}/comments`, { body: 'x'.repeat(5001) });
    assert.equal(comment.status, 400);
    assert.match(await comment.text(), /at most 5000 characters/);
    const topics = await writer.postForm('/subscribe', {
      email: 'limits@example.org',
      frequency: 'daily',
      queries: 'y'.repeat(101),
    });
    assert.equal(topics.status, 400);
    assert.match(await topics.text(), /at most 100 characters/);
    const submit = await writer.postForm('/submit', { paper: 'z'.repeat(301) });
    assert.equal(submit.status, 400);
    assert.match(await submit.text(), /at most 300 characters/);
    const signup = await new Visitor(site.url).postForm('/signup', {
      username: 'n'.repeat(31),
      email: 'long@example.org',
      password: PASSWORD,
    });
    assert.equal(signup.status, 400);
    assert.match(await signup.text(), /2 to 30 letters/);
  });

  test('admin hide with a Referer that is not a URL hides and redirects home', async () => {
    const response = await post(
      `/papers/${PAPER}/hide`,
      formBody([
        ['_csrf', admin.csrfToken],
        ['hidden', 'false'],
      ]),
    );
    assert.equal(response.status, 303);
    const comment = await site.store.engagement.addComment({
      paperId: PAPER,
      memberId: admin.member.id,
      parentId: null,
      body: 'x',
    });
    const hide = await post(
      `/comments/${comment.id}/hide`,
      formBody([
        ['_csrf', admin.csrfToken],
        ['hidden', 'true'],
      ]),
      {
        referer: 'not a url',
      },
    );
    assert.equal(hide.status, 303);
    assert.equal(hide.headers.get('location'), '/');
    const comments = await site.store.engagement.listComments(PAPER, { includeHidden: true });
    assert.equal(comments.find((item) => item.id === comment.id)?.hidden, true);
  });
});

test('a failed database call on the subscription pages is retried by the next request, not kept', async () => {
  const site = await startSite({ env: { TRUST_PROXY: '127.0.0.1' } });
  try {
    const location = site.config.database;
    assert.equal(location.kind, 'sqlite');
    const other = new Database(location.kind === 'sqlite' ? location.path : '');
    // The site secret lives in `settings`: take the table away for one request, as a failing database would.
    other.exec('ALTER TABLE settings RENAME TO settings_away');
    const client = new Visitor(site.url);
    const failed = await client.get('/subscriptions/manage/not-a-token');
    assert.equal(failed.status, 500);
    await failed.arrayBuffer();
    other.exec('ALTER TABLE settings_away RENAME TO settings');
    other.close();
    for (const path of ['/subscriptions/manage/not-a-token', '/subscriptions/unsubscribe/not-a-token']) {
      const response = await client.get(path);
      assert.equal(response.status, 404, path);
      assert.match(await response.text(), /Link not valid/);
    }
    const subscribe = await client.postForm('/subscribe', { email: 'back@example.org', frequency: 'daily' });
    assert.notEqual(subscribe.status, 500);
    await subscribe.arrayBuffer();
  } finally {
    await site.close();
  }
});

for (const kind of STORE_KINDS) {
  describe(`state on ${kind}`, () => {
    let site: RunningSite;
    let sink: SmtpSink;

    before(async () => {
      sink = await startSmtpSink();
      site = await startSite({
        store: kind,
        env: {
          TRUST_PROXY: '127.0.0.1',
          SMTP_URL: sink.url,
          MAIL_FROM: 'Dailypapers <digest@papers.example.org>',
        },
        records: [listedOn(DAY, PAPER), listedOn(DAY, '2611.00002')],
      });
    });
    after(async () => {
      await site?.close();
      await sink?.close();
    });

    /** Subscribes through the form; the confirmation link from the mail. */
    async function requestLink(client: SiteClient, email: string): Promise<string> {
      const before = sink.messages.length;
      const response = await client.postForm('/subscribe', { email, frequency: 'daily' });
      assert.equal(response.status, 200, await response.text());
      await sink.waitFor((messages) => messages.slice(before).some((mail) => mail.to.includes(email)));
      const mail = sink.messages.slice(before).find((message) => message.to.includes(email));
      assert.ok(mail);
      return pathOf(linkIn(mail, '/subscriptions/confirm/'));
    }

    test('a confirmation link does not bring back a subscription that was ended', async () => {
      const email = `ended-${kind}@example.org`;
      const client = new Visitor(site.url);
      const confirm = await requestLink(client, email);
      assert.match(await (await client.postForm(confirm, {})).text(), /You are subscribed/);
      const subscription = await site.store.subscriptions.findSubscriptionByEmail(email);
      assert.ok(subscription);
      const { MailLinks } = await import('../../src/services/mail-links.ts');
      const links = await MailLinks.forSite(site.store, site.config);
      const unsubscribed = await client.request(pathOf(links.unsubscribeUrl(subscription.id)), {
        method: 'POST',
        body: 'List-Unsubscribe=One-Click',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      assert.equal(unsubscribed.status, 200);
      assert.equal((await site.store.subscriptions.getSubscription(subscription.id))?.status, 'unsubscribed');

      const page = await client.get(confirm);
      assert.equal(page.status, 410);
      const text = await page.text();
      assert.match(text, /Subscription ended/);
      assert.match(text, /Subscribe again/);
      assert.match(text, /href="\/subscribe"/);
      const again = await client.postForm(confirm, {});
      assert.equal(again.status, 410);
      await again.arrayBuffer();
      assert.equal((await site.store.subscriptions.getSubscription(subscription.id))?.status, 'unsubscribed');

      // Subscribing again sends a new link; the old one still confirms nothing, the new one works.
      const fresh = await requestLink(client, email);
      const old = await client.postForm(confirm, {});
      assert.equal(old.status, 410);
      assert.match(await old.text(), /replaced by a newer one/);
      assert.equal((await site.store.subscriptions.getSubscription(subscription.id))?.status, 'pending');
      assert.match(await (await client.postForm(fresh, {})).text(), /You are subscribed/);
      assert.equal((await site.store.subscriptions.getSubscription(subscription.id))?.status, 'active');
      assert.equal((await client.postForm(fresh, {})).status, 200, 'confirming twice is fine');
    });

    test('a sign-up held back by the per-address mail cap leaves the last link working', async () => {
      const email = `capped-${kind}@example.org`;
      const client = new Visitor(site.url);
      let last = '';
      for (let mail = 0; mail < 5; mail++) last = await requestLink(client, email);
      const mailed = sink.messages.length;
      const held = await client.postForm('/subscribe', { email, frequency: 'weekly' });
      assert.equal(held.status, 200, 'the same answer as ever');
      await held.arrayBuffer();
      assert.equal(sink.messages.length, mailed, 'no sixth mail today');
      const confirmed = await client.postForm(last, {});
      assert.match(await confirmed.text(), /You are subscribed/);
      assert.equal((await site.store.subscriptions.findSubscriptionByEmail(email))?.frequency, 'daily');
    });

    test('a hidden paper takes no upvotes and no comments, on pages and as JSON', async () => {
      const admin = await memberClient(site, `hider${kind.replace(/\W/g, '_')}`, true);
      const member = await memberClient(site, `voter${kind.replace(/\W/g, '_')}`);
      const paper = '2611.00002';
      assert.equal((await admin.postForm(`/papers/${paper}/hide`, { hidden: 'true' })).status, 303);
      const adminView = await (await admin.get(`/papers/${paper}`)).text();
      assert.match(adminView, /This paper is hidden: it takes no new comments or upvotes/);
      assert.doesNotMatch(adminView, /id="comment-body"/);

      const upvote = await member.postForm(`/papers/${paper}/upvote`, { upvoted: 'true' });
      assert.equal(upvote.status, 404);
      assert.match(await upvote.text(), /hidden by the moderators/);
      const json = await member.request(`/papers/${paper}/upvote`, {
        method: 'POST',
        body: new URLSearchParams({ _csrf: member.csrfToken, upvoted: 'true' }),
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      });
      assert.equal(json.status, 404);
      assert.match(((await json.json()) as { error: string }).error, /hidden by the moderators/);
      const comment = await member.postForm(`/papers/${paper}/comments`, { body: 'still here?' });
      assert.equal(comment.status, 404);
      assert.match(await comment.text(), /hidden by the moderators/);
      const stored = await site.store.papers.getPaper(paper);
      assert.equal(stored?.numComments, 0);
      assert.equal(stored?.upvotes, 0);

      // The rule lives in the service, whatever calls it.
      const voter = member.member;
      await assert.rejects(upvotePaper(site.store, voter, paper, true), HiddenPaperError);
      await assert.rejects(
        commentOnPaper(site.store, voter, { paperId: paper, parentId: null, body: 'x' }),
        HiddenPaperError,
      );

      assert.equal((await admin.postForm(`/papers/${paper}/hide`, { hidden: 'false' })).status, 303);
      assert.equal((await member.postForm(`/papers/${paper}/upvote`, { upvoted: 'true' })).status, 303);
      assert.equal((await site.store.papers.getPaper(paper))?.upvotes, 1);
    });
  });
}

describe('failures a person can meet read as sentences', () => {
  let arxiv: FakeArxiv;
  let site: RunningSite;

  before(async () => {
    arxiv = await startFakeArxiv();
    const unreachable = arxiv.url;
    await arxiv.close();
    site = await startSite({
      env: { TRUST_PROXY: '127.0.0.1', ARXIV_API_URL: unreachable },
      records: [listedOn(DAY, PAPER)],
    });
  });
  after(() => site?.close());

  test('submitting while arXiv is unreachable says so, without the request or the network error', async () => {
    const member = await memberClient(site, 'offline');
    const response = await member.postForm('/submit', { paper: '2611.00099' });
    assert.equal(response.status, 400);
    const page = await response.text();
    const message = /<div class="field-error"[^>]*>([^<]*)<\/div>/.exec(page)?.[1];
    assert.equal(message, 'arXiv could not be reached; try again in a few minutes');
    assert.doesNotMatch(page, /api\/query|could not connect|ECONNREFUSED|Error:/);
    const api = await member.postJson('/api/papers/submit', { paper: '2611.00099' });
    assert.equal(api.status, 400);
    const body = (await api.json()) as { error: string };
    assert.match(body.error, /arXiv could not be reached/);
    assert.doesNotMatch(body.error, /127\.0\.0\.1|ECONNREFUSED/);
  });

  test('submitting while arXiv is busy (503) answers at once with the same sentence', async () => {
    const busy = await startFakeArxiv({ unavailable: 1000 });
    const busySite = await startSite({ env: { TRUST_PROXY: '127.0.0.1', ARXIV_API_URL: busy.url } });
    try {
      const member = await memberClient(busySite, 'patient');
      const response = await member.postForm('/submit', { paper: '2611.00099' });
      assert.equal(response.status, 400);
      assert.match(await response.text(), /arXiv could not be reached; try again in a few minutes/);
      assert.equal(busy.requests.length, 1, 'no waiting out Retry-After while a person waits');
    } finally {
      await busySite.close();
      await busy.close();
    }
  });

  test('a submission longer than any paper URL is refused naming the limit', async () => {
    const member = await memberClient(site, 'longwinded');
    const response = await member.postForm('/submit', { paper: `https://arxiv.org/abs/${'1'.repeat(400)}` });
    assert.equal(response.status, 400);
    assert.match(await response.text(), /at most 300 characters/);
  });

  test('the rate-limit page is a sentence with a wait, no internals', async () => {
    const member = await memberClient(site, 'eager');
    let limited: Response | null = null;
    for (let attempt = 0; attempt < 30 && !limited; attempt++) {
      const response = await member.postForm(`/papers/${PAPER}/comments`, { body: `note ${attempt}` });
      if (response.status === 429) limited = response;
      else await response.arrayBuffer();
    }
    assert.ok(limited, 'commenting is rate-limited');
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
    const page = await limited.text();
    assert.match(page, /try again in \d+/);
    assert.doesNotMatch(page, /Error:|at .+\.ts:\d+/);
  });
});
