import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { SiteClient } from '../scripts/lib/http-client.ts';
import { runCli } from './helpers/cli.ts';
import { listedOn } from './helpers/records.ts';
import { type RunningSite, startSite } from './helpers/site.ts';
import { tempDir } from './helpers/temp.ts';

const database = join(tempDir(), 'admin.db');
let site: RunningSite;

before(async () => {
  site = await startSite({
    env: { DATABASE_URL: database },
    records: [listedOn('2026-11-20', '2611.00010'), listedOn('2026-11-20', '2611.00011')],
  });
});
after(async () => {
  await site?.close();
});

test('`users create --admin` makes an admin who can hide a paper and a comment; members cannot', async () => {
  const member = new SiteClient(site.url);
  await site.signUp(member, 'first-member');
  const memberRole = (await site.store.members.findMemberForLogin('first-member'))?.role;
  assert.equal(memberRole, 'member', 'signing up never makes an admin, not even the first member');

  const created = await runCli(
    ['users', 'create', 'ops', '--email', 'ops@example.org', '--admin', '--password-stdin'],
    {
      DATABASE_URL: database,
    },
  ).catch((error) => error);
  assert.equal(created.code, 1, 'without piped input the password is empty and refused');
  assert.match(created.stderr, /password: at least 10 characters/);

  const generated = await runCli(['users', 'create', 'ops', '--email', 'ops@example.org', '--admin'], {
    DATABASE_URL: database,
  });
  assert.equal(generated.code, 0, generated.stderr);
  const password = /password: (\S+)/.exec(generated.stdout)?.[1] ?? '';
  assert.ok(password.length >= 16);
  const duplicate = await runCli(['users', 'create', 'OPS', '--email', 'other@example.org'], {
    DATABASE_URL: database,
  });
  assert.equal(duplicate.code, 1);
  assert.match(duplicate.stderr, /username: that username is already taken/);

  const regular = new SiteClient(site.url);
  await site.signUp(regular, 'regular');
  await regular.postForm('/papers/2611.00010/comments', { body: 'spam spam spam' });
  const [comment] = await site.store.engagement.listComments('2611.00010');
  assert.ok(comment);
  assert.equal((await regular.postForm('/papers/2611.00011/hide', { hidden: 'true' })).status, 403);
  assert.equal((await regular.postForm(`/comments/${comment.id}/hide`, { hidden: 'true' })).status, 403);

  const admin = new SiteClient(site.url);
  const login = await admin.postForm('/login', { username: 'ops', password });
  assert.equal(login.status, 303);
  assert.equal((await admin.postForm('/papers/2611.00011/hide', { hidden: 'true' })).status, 303);
  assert.equal((await admin.postForm(`/comments/${comment.id}/hide`, { hidden: 'true' })).status, 303);

  assert.equal((await regular.get('/papers/2611.00011')).status, 404, 'hidden from readers');
  assert.equal((await admin.get('/papers/2611.00011')).status, 200, 'admins still see it, to show it again');
  assert.doesNotMatch(await (await regular.get('/papers/date/2026-11-20')).text(), /2611\.00011/);
  assert.doesNotMatch(await (await regular.get('/papers/2611.00010')).text(), /spam spam spam/);
  assert.equal((await fetch(`${site.url}/api/papers/2611.00011`)).status, 404);
});

test('parallel upvotes from many members give an exact count, and undo takes exactly one back', async () => {
  const members = await Promise.all(
    Array.from({ length: 40 }, async (_, index) => {
      const client = new SiteClient(site.url);
      await client.get('/login'); // a page with a form: the CSRF cookie
      return { client, index };
    }),
  );
  // Sign-ups and log-ins are rate limited per address, so members and their sessions are made directly.
  const { createAccount, startSession } = await import('../src/services/accounts.ts');
  for (const { client, index } of members) {
    const member = await createAccount(site.store, {
      username: `voter${index}`,
      email: `voter${index}@example.org`,
      password: 'long enough password',
    });
    client.setCookie('dp_session', await startSession(site.store, member));
  }
  const vote = (client: SiteClient, upvoted: boolean) =>
    client.request('/papers/2611.00010/upvote', {
      method: 'POST',
      body: new URLSearchParams({ _csrf: client.csrfToken, upvoted: String(upvoted) }),
      headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
    });
  const anonymous = new SiteClient(site.url);
  await anonymous.get('/papers/date/2026-11-20'); // now cached for anonymous readers
  const responses = await Promise.all(
    members.flatMap(({ client }) => [vote(client, true), vote(client, true)]),
  );
  assert.deepEqual([...new Set(responses.map((response) => response.status))], [200]);
  assert.equal((await site.store.papers.getPaper('2611.00010'))?.upvotes, 40, 'voting twice counts once');
  const cachedCount = async () =>
    /<span class="count">(\d+)<\/span><span class="visually-hidden"> upvotes?<\/span><\/a><\/div>\s*<article class="paper-body">\s*<h2 class="paper-title"><a href="\/papers\/2611\.00010">/.exec(
      await (await anonymous.get('/papers/date/2026-11-20')).text(),
    )?.[1];
  assert.equal(await cachedCount(), '40', 'the cached page for anonymous readers follows the votes');
  await Promise.all(members.slice(0, 15).map(({ client }) => vote(client, false)));
  assert.equal((await site.store.papers.getPaper('2611.00010'))?.upvotes, 25);
});

test('comments thread one level deep: a reply to a reply joins its thread; a reply to nothing is refused', async () => {
  const client = new SiteClient(site.url);
  await site.signUp(client, 'threader');
  await client.postForm('/papers/2611.00010/comments', { body: 'top-level question' });
  const top = (await site.store.engagement.listComments('2611.00010')).find(
    (comment) => comment.body === 'top-level question',
  );
  assert.ok(top);
  assert.equal(
    (await client.postForm('/papers/2611.00010/comments', { body: 'first reply', parentId: String(top.id) }))
      .status,
    303,
  );
  const reply = (await site.store.engagement.listComments('2611.00010')).find(
    (comment) => comment.body === 'first reply',
  );
  assert.equal(reply?.parentId, top.id);
  await client.postForm('/papers/2611.00010/comments', {
    body: 'reply to the reply',
    parentId: String(reply?.id),
  });
  const nested = (await site.store.engagement.listComments('2611.00010')).find(
    (comment) => comment.body === 'reply to the reply',
  );
  assert.equal(nested?.parentId, top.id, 'flattened into the same thread');
  assert.equal(
    (await client.postForm('/papers/2611.00010/comments', { body: 'orphan', parentId: '999999' })).status,
    404,
  );
  const page = await (await client.get('/papers/2611.00010')).text();
  assert.match(page, /top-level question[\s\S]*first reply[\s\S]*reply to the reply/);
});

test('a member changes the password: the old one stops working and other sessions end', async () => {
  const first = new SiteClient(site.url);
  await site.signUp(first, 'changer', 'original password 1');
  const second = new SiteClient(site.url);
  assert.equal(
    (await second.postForm('/login', { username: 'changer', password: 'original password 1' })).status,
    303,
  );
  const wrong = await first.postForm('/account/password', {
    current: 'not it at all',
    password: 'brand new password 2',
  });
  assert.equal(wrong.status, 400);
  const changed = await first.postForm('/account/password', {
    current: 'original password 1',
    password: 'brand new password 2',
  });
  assert.equal(changed.status, 200);
  assert.match(await (await first.get('/')).text(), /changer/, 'this session stays');
  assert.doesNotMatch(await (await second.get('/')).text(), />changer</, 'the other session ended');
  const third = new SiteClient(site.url);
  assert.equal(
    (await third.postForm('/login', { username: 'changer', password: 'original password 1' })).status,
    400,
  );
  assert.equal(
    (await third.postForm('/login', { username: 'changer', password: 'brand new password 2' })).status,
    303,
  );
});
