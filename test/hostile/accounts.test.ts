// Accounts as an attacker tries them (issue 11, items 2, 3, 8, 14, 15), against the real server on each store:
// brute force past the rate limits, a spoofed X-Forwarded-For, racing for the first admin, weak passwords,
// links from mails used twice, telling registered emails apart, deletion and export, secrets in config errors.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SiteClient } from '../../scripts/lib/http-client.ts';
import { createTestDatabase } from '../../scripts/lib/postgres.ts';
import { parseDatabaseUrl } from '../../src/config.ts';
import { openStore } from '../../src/store/open-store.ts';
import { addMember, logIn, TEST_PASSWORD } from '../helpers/accounts.ts';
import { runCli } from '../helpers/cli.ts';
import { linkPath, mailsTo, sinkMailbox } from '../helpers/mailbox.ts';
import { listedOn } from '../helpers/records.ts';
import { type RunningSite as RunningServe, startServe } from '../helpers/serve-process.ts';
import { type RunningSite, startSite } from '../helpers/site.ts';
import { type SmtpSink, startSmtpSink } from '../helpers/smtp-sink.ts';
import { STORE_KINDS } from '../helpers/stores.ts';
import { tempDir } from '../helpers/temp.ts';

const PAPER = '2611.00031';

/** A client whose requests come through one proxy hop, from `address` (the proxy appends the real peer). */
class ProxiedClient extends SiteClient {
  constructor(
    baseUrl: string,
    private readonly forwardedFor: string,
  ) {
    super(baseUrl);
  }

  override request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('x-forwarded-for', this.forwardedFor);
    return super.request(path, { ...init, headers });
  }
}

const randomAddress = () => `203.0.113.${Math.floor(Math.random() * 250) + 1}`;

/** `serve --workers 2` on an empty site behind one proxy, started once both web processes answer. */
async function serveEmptySite(databaseUrl: string): Promise<RunningServe> {
  const serve = await startServe(['--workers', '2'], {
    DATABASE_URL: databaseUrl,
    LOAD_SAMPLE: 'never',
    TRUST_PROXY: '1',
  });
  await serve.waitFor(/\(2 web processes\)/);
  return serve;
}

for (const kind of STORE_KINDS) {
  describe(`accounts on ${kind}`, () => {
    let sink: SmtpSink;
    let site: RunningSite;

    before(async () => {
      sink = await startSmtpSink();
      site = await startSite({
        store: kind,
        env: { SMTP_URL: sink.url, TRUST_PROXY: '1' },
        mailbox: sinkMailbox(sink),
        records: [listedOn('2026-11-20', PAPER)],
      });
    });
    after(async () => {
      await site?.close();
      await sink?.close();
    });

    test('item 8: simultaneous sign-ups on an empty site make no admin; the setup link from the log makes exactly one', async () => {
      const database = kind === 'postgres' ? await createTestDatabase() : null;
      if (database) after(() => database.drop());
      const databaseUrl = database?.url ?? `sqlite:${join(tempDir(), 'empty.db')}`;
      // A counter from three days ago, which the running site is to purge (a window of a minute, one hit allowed).
      const longAgo = new Date(Date.now() - 3 * 86_400_000);
      const before = await openStore(parseDatabaseUrl(databaseUrl));
      await before.members.hitRateLimit('stale', 1, 60, longAgo);
      await before.close();
      const serve = await serveEmptySite(databaseUrl);
      const signups = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          new ProxiedClient(serve.baseUrl, `198.51.100.${i + 1}`).postForm('/signup', {
            username: `racer${i}`,
            email: `racer${i}@example.org`,
            password: TEST_PASSWORD,
          }),
        ),
      );
      assert.deepEqual(
        signups.map((response) => response.status),
        Array(8).fill(200),
      );
      const token = /\/setup\/([A-Za-z0-9_-]+)/.exec(serve.output())?.[1];
      assert.ok(token, `the serve log prints a setup link:\n${serve.output()}`);
      const claims = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          new ProxiedClient(serve.baseUrl, `198.51.100.${i + 20}`).postForm(`/setup/${token}`, {
            username: `boss${i}`,
            email: `boss${i}@example.org`,
            password: TEST_PASSWORD,
          }),
        ),
      );
      const statuses = claims.map((response) => response.status).sort();
      assert.deepEqual(
        statuses,
        [303, 404, 404, 404, 404, 404, 404, 404],
        'one claim wins, across processes',
      );
      const winner = claims.findIndex((response) => response.status === 303);
      const admin = new ProxiedClient(serve.baseUrl, '198.51.100.50');
      await logIn(admin, `boss${winner}`);
      assert.equal((await admin.get('/admin')).status, 200);
      for (let i = 0; i < 8; i++) {
        const racer = new ProxiedClient(serve.baseUrl, `198.51.100.${60 + i}`);
        const login = await racer.postForm('/login', { username: `racer${i}`, password: TEST_PASSWORD });
        assert.equal(login.status, 303);
        assert.equal((await racer.get('/admin')).status, 403, `racer${i} is not an admin`);
      }
      assert.equal((await admin.get(`/setup/${token}`)).status, 404, 'the link is spent');
      const later = await openStore(parseDatabaseUrl(databaseUrl));
      const again = await later.members.hitRateLimit('stale', 1, 60, longAgo);
      await later.close();
      assert.equal(again.allowed, true, 'the expired counter was purged while the site ran');
    });

    test('item 2: sign up, guess, sign up again: the guesses stay limited per address and per account', async () => {
      await addMember(site.store, 'victim', { admin: true, password: 'the real admin password' });
      const attacker = new ProxiedClient(site.url, '192.0.2.10');
      const statuses: number[] = [];
      for (let round = 0; round < 4; round++) {
        const signup = await attacker.postForm('/signup', {
          username: `sock${round}`,
          email: `sock${round}@example.org`,
          password: TEST_PASSWORD,
        });
        statuses.push(signup.status);
        for (let guess = 0; guess < 4; guess++) {
          const login = await attacker.postForm('/login', {
            username: 'victim',
            password: `guess ${round} ${guess}`,
          });
          statuses.push(login.status);
        }
      }
      const logins = statuses.filter((_, index) => index % 5 !== 0);
      assert.deepEqual(logins.slice(0, 10), Array(10).fill(400));
      assert.deepEqual(logins.slice(10), Array(6).fill(429), 'a new account resets nothing');
      const right = await attacker.postForm('/login', {
        username: 'victim',
        password: 'the real admin password',
      });
      assert.equal(right.status, 429, 'even the right password waits out the window');

      const signups = [];
      for (let i = 0; i < 3; i++) {
        signups.push(
          (
            await attacker.postForm('/signup', {
              username: `more${i}`,
              email: `more${i}@example.org`,
              password: TEST_PASSWORD,
            })
          ).status,
        );
      }
      assert.deepEqual(signups, [200, 429, 429], 'five sign-ups an hour per address');

      // From many addresses, one account still takes at most 20 guesses an hour.
      const spread: number[] = [];
      for (let i = 0; i < 12; i++) {
        const client = new ProxiedClient(site.url, `192.0.2.${100 + i}`);
        spread.push(
          (await client.postForm('/login', { username: 'VICTIM', password: `spread ${i}` })).status,
        );
      }
      assert.deepEqual(spread.slice(0, 10), Array(10).fill(400));
      assert.deepEqual(spread.slice(10), [429, 429], 'the account had 10 guesses already');
    });

    test('item 3: with TRUST_PROXY=1 a client cannot pick its own key with X-Forwarded-For', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) {
        // What nginx sends for a client that wrote its own X-Forwarded-For: the client's value, then its address.
        const client = new ProxiedClient(site.url, `${randomAddress()}, 192.0.2.200`);
        statuses.push((await client.postForm('/login', { username: `nobody${i}`, password: 'x' })).status);
      }
      assert.deepEqual(statuses.slice(0, 10), Array(10).fill(400));
      assert.deepEqual(statuses.slice(10), [429, 429]);
      const bad = await runCli(['users', 'create', 'x', '--email', 'x@example.org'], {
        DATABASE_URL: join(tempDir(), 'x.db'),
        TRUST_PROXY: 'on',
      });
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /TRUST_PROXY="on": is no longer accepted/);
    });

    test('item 14: weak passwords are refused with a clear reason', async () => {
      const cases: Array<[string, RegExp]> = [
        ['12345678', /at least 10 characters/],
        [' '.repeat(12), /not only spaces/],
        ['1234567890', /most common passwords/],
        ['Password123', /most common passwords/],
        ['weakling@example.org', /must not contain your username or email/],
        ['my weakling pass', /must not contain your username or email/],
      ];
      for (const [index, [password, reason]] of cases.entries()) {
        // Each from its own address: five sign-ups an hour per address.
        const client = new ProxiedClient(site.url, `192.0.2.${30 + index}`);
        const response = await client.postForm('/signup', {
          username: 'weakling',
          email: 'weakling@example.org',
          password,
        });
        assert.equal(response.status, 400, JSON.stringify(password));
        assert.match(await response.text(), reason, JSON.stringify(password));
      }
      assert.equal(await site.store.members.findMemberForLogin('weakling'), null);
    });

    test('item 14: verification mail; unverified members can browse but not vote; each link works once', async () => {
      const client = new ProxiedClient(site.url, '192.0.2.40');
      const signup = await client.postForm('/signup', {
        username: 'newbie',
        email: 'newbie@example.org',
        password: TEST_PASSWORD,
      });
      assert.equal(signup.status, 200);
      await logIn(client, 'newbie');
      assert.equal((await client.get(`/papers/${PAPER}`)).status, 200);
      const vote = await client.postForm(`/papers/${PAPER}/upvote`, { upvoted: 'true' });
      assert.equal(vote.status, 403);
      const refusal = await vote.text();
      assert.match(refusal, /Confirm your email first/);
      assert.match(refusal, /action="\/account\/verify\/resend"/, 'offers to resend');
      const api = await client.postJson('/api/papers/submit', { paper: PAPER });
      assert.equal(api.status, 403);
      assert.equal((await site.store.papers.getPaper(PAPER))?.upvotes, 0);

      assert.equal((await client.postForm('/account/verify/resend', {})).status, 200);
      const mails = await mailsTo(site.mailbox, 'newbie@example.org', /Confirm your email/, 2);
      const link = linkPath(mails[1] as (typeof mails)[number], '/account/verify/');
      assert.equal((await client.get(link)).status, 200);
      const again = await client.get(link);
      assert.equal(again.status, 410);
      assert.match(await again.text(), /used already/);
      assert.equal(
        (await client.get(linkPath(mails[0] as (typeof mails)[number], '/account/verify/'))).status,
        410,
      );
      const forged = `${link.slice(0, -3)}abc`;
      assert.equal((await client.get(forged)).status, 404);
      assert.equal((await client.postForm(`/papers/${PAPER}/upvote`, { upvoted: 'true' })).status, 303);
      assert.equal((await site.store.papers.getPaper(PAPER))?.upvotes, 1);
    });

    test('item 14: password reset by mail: policy applies, every session ends, the link works once', async () => {
      await addMember(site.store, 'forgetful');
      const other = new ProxiedClient(site.url, '192.0.2.50');
      await logIn(other, 'forgetful');
      const client = new ProxiedClient(site.url, '192.0.2.51');
      const unknown = await client.postForm('/password/forgot', { email: 'nobody-here@example.org' });
      const known = await client.postForm('/password/forgot', { email: 'Forgetful@example.org' });
      assert.equal(known.status, 200);
      assert.equal(await unknown.text(), await known.text(), 'the same answer for unknown addresses');
      const [mail] = await mailsTo(site.mailbox, 'forgetful@example.org', /Reset your Dailypapers password/);
      assert.ok(mail);
      const link = linkPath(mail, '/password/reset/');
      assert.equal((await client.get(link)).status, 200);
      const weak = await client.postForm(link, { password: 'password12' });
      assert.equal(weak.status, 400);
      assert.match(await weak.text(), /most common passwords/);
      const reset = await client.postForm(link, { password: 'a brand new secret phrase' });
      assert.equal(reset.status, 200);
      assert.doesNotMatch(await (await other.get('/account')).text(), /forgetful@example\.org/);
      assert.equal((await other.get('/account')).status, 302, 'the other session ended');
      assert.equal((await client.get(link)).status, 410, 'spent');
      assert.equal((await client.postForm(link, { password: 'yet another new phrase' })).status, 410);
      const fresh = new ProxiedClient(site.url, '192.0.2.52');
      assert.equal(
        (await fresh.postForm('/login', { username: 'forgetful', password: TEST_PASSWORD })).status,
        400,
      );
      await logIn(fresh, 'forgetful', 'a brand new secret phrase');
    });

    test('item 14: signing up with a registered email answers the same; its owner gets a note', async () => {
      await addMember(site.store, 'owner');
      const client = new ProxiedClient(site.url, '192.0.2.60');
      const fresh = await client.postForm('/signup', {
        username: 'someone-new',
        email: 'someone-new@example.org',
        password: TEST_PASSWORD,
      });
      const taken = await client.postForm('/signup', {
        username: 'impostor',
        email: 'OWNER@example.org',
        password: TEST_PASSWORD,
      });
      assert.equal(fresh.status, taken.status);
      assert.equal(await fresh.text(), await taken.text());
      assert.deepEqual(
        fresh.headers.getSetCookie().map((cookie) => cookie.split('=')[0]),
        taken.headers.getSetCookie().map((cookie) => cookie.split('=')[0]),
      );
      const [note] = await mailsTo(site.mailbox, 'owner@example.org', /Someone tried to sign up/);
      assert.ok(note);
      assert.match(note.text, /\/password\/forgot/);
      assert.equal(await site.store.members.findMemberForLogin('impostor'), null);
    });

    test('item 14: export of one’s data, then deletion with the password; comments stay without the name', async () => {
      await addMember(site.store, 'leaver');
      const client = new ProxiedClient(site.url, '192.0.2.70');
      await logIn(client, 'leaver');
      assert.equal(
        (await client.postForm(`/papers/${PAPER}/comments`, { body: 'a parting thought' })).status,
        303,
      );
      await client.postForm(`/papers/${PAPER}/upvote`, { upvoted: 'true' });
      const download = await client.get('/account/export');
      assert.equal(download.status, 200);
      assert.match(download.headers.get('content-disposition') ?? '', /attachment/);
      const data = (await download.json()) as {
        profile: { username: string };
        comments: Array<{ body: string }>;
        upvotes: Array<{ paperId: string }>;
      };
      assert.equal(data.profile.username, 'leaver');
      assert.deepEqual(
        data.comments.map((comment) => comment.body),
        ['a parting thought'],
      );
      assert.deepEqual(
        data.upvotes.map((vote) => vote.paperId),
        [PAPER],
      );
      assert.equal((await new SiteClient(site.url).get('/account/export')).status, 302, 'members only');

      const wrong = await client.postForm('/account/delete', { confirm: 'not my password' });
      assert.equal(wrong.status, 400);
      assert.ok(await site.store.members.findMemberForLogin('leaver'));
      const deleted = await client.postForm('/account/delete', { confirm: TEST_PASSWORD });
      assert.equal(deleted.status, 200);
      assert.equal(await site.store.members.findMemberForLogin('leaver'), null);
      assert.equal((await client.get('/account')).status, 302, 'logged out');
      const again = new ProxiedClient(site.url, '192.0.2.71');
      assert.equal(
        (await again.postForm('/login', { username: 'leaver', password: TEST_PASSWORD })).status,
        400,
      );
      const page = await (await again.get(`/papers/${PAPER}`)).text();
      assert.match(page, /a parting thought/);
      assert.doesNotMatch(page, /leaver/);
    });
  });
}

test('item 15: config errors name the variable and the reason, never the secret', async () => {
  const cases: Array<[Record<string, string>, RegExp]> = [
    [
      { SMTP_URL: 'smtpx://mailer:s3cr3t-pw@mail.example.org:587' },
      /SMTP_URL: must be an smtp:\/\/ or smtps:\/\/ URL/,
    ],
    [{ SMTP_URL: 'mailer:s3cr3t-pw' }, /SMTP_URL: must be an smtp:\/\/ or smtps:\/\/ URL/],
    [{ DATABASE_URL: 'mysql://app:s3cr3t-pw@db/site' }, /DATABASE_URL: unsupported scheme "mysql"/],
    [{ SECRET: 's3cr3t-pw' }, /SECRET: must be at least 16 characters/],
    [
      { DATABASE_REPLICA_URL: 'mysql://app:s3cr3t-pw@replica/site' },
      /DATABASE_REPLICA_URL: must be a PostgreSQL URL/,
    ],
    [
      { DATABASE_REPLICA_URL: 'postgres://app:s3cr3t-pw@replica/site' },
      /DATABASE_REPLICA_URL: a read replica needs DATABASE_URL to be a PostgreSQL URL/,
    ],
    [{ DIGEST_TIME: '8am' }, /DIGEST_TIME="8am": must be a time of day/],
    [{ WEB_HEAP: 'tiny' }, /WEB_HEAP="tiny": must be "fast" or "small"/],
  ];
  for (const [env, expected] of cases) {
    const result = await runCli(['users', 'create', 'x', '--email', 'x@example.org'], env);
    assert.equal(result.code, 1, JSON.stringify(env));
    assert.match(result.stderr, expected);
    assert.doesNotMatch(result.stderr + result.stdout, /s3cr3t-pw/, JSON.stringify(env));
  }
});

test('item 3: TRUST_PROXY as proxy addresses: the address left of the trusted proxy counts, whatever the client wrote', async () => {
  const site = await startSite({ env: { TRUST_PROXY: '127.0.0.1' } });
  try {
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const client = new ProxiedClient(site.url, `${randomAddress()}, 192.0.2.9`);
      statuses.push((await client.postForm('/login', { username: `nobody${i}`, password: 'x' })).status);
    }
    assert.deepEqual(statuses, [...Array(10).fill(400), 429]);
    const other = new ProxiedClient(site.url, '192.0.2.10');
    assert.equal((await other.postForm('/login', { username: 'nobody', password: 'x' })).status, 400);
  } finally {
    await site.close();
  }
});
