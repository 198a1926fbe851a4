import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { SiteClient } from '../scripts/lib/http-client.ts';
import { TEST_PASSWORD } from './helpers/accounts.ts';
import { listedOn } from './helpers/records.ts';
import { type RunningSite, startSite } from './helpers/site.ts';

const EVIL = '<script>alert("owned")</script>';
let site: RunningSite;

before(async () => {
  site = await startSite({
    records: [
      listedOn('2026-11-20', '2611.00001', {
        title: `Escaping ${EVIL} in titles with $x<y$`,
        abstract: `An abstract with ${EVIL} and <img src=x onerror=alert(1)>.`,
        authors: [{ name: `Mallory ${EVIL}`, hfId: null, hidden: false }],
      }),
      listedOn('2026-11-20', '2611.00002'),
    ],
  });
});
after(async () => {
  await site?.close();
});

test('every POST without the CSRF token, or with a wrong one, is refused with 403', async () => {
  const client = new SiteClient(site.url);
  await site.member(client, 'csrf-victim');
  const posts: Array<[string, Record<string, string>]> = [
    ['/papers/2611.00002/upvote', { upvoted: 'true' }],
    ['/papers/2611.00002/comments', { body: 'hello' }],
    ['/submit', { paper: '2611.00002' }],
    ['/logout', {}],
    ['/login', { username: 'csrf-victim', password: TEST_PASSWORD }],
    ['/signup', { username: 'someone', email: 'someone@example.org', password: TEST_PASSWORD }],
    ['/account/password', { current: TEST_PASSWORD, password: 'another long password' }],
    ['/account/delete', { confirm: TEST_PASSWORD }],
    ['/account/verify/resend', {}],
    ['/password/forgot', { email: 'csrf-victim@example.org' }],
  ];
  for (const [path, fields] of posts) {
    assert.equal((await client.postForm(path, fields, { csrf: false })).status, 403, `${path} without token`);
    assert.equal(
      (await client.postForm(path, fields, { csrf: 'x'.repeat(32) })).status,
      403,
      `${path} wrong token`,
    );
  }
  assert.equal(
    (await client.postJson('/api/papers/submit', { paper: '2611.00002' }, { csrf: false })).status,
    403,
  );
  const paper = await site.store.papers.getPaper('2611.00002');
  assert.equal(paper?.upvotes, 0);
  assert.equal(paper?.numComments, 0);
  // The session survived the forged logout.
  assert.match(await (await client.get('/')).text(), /csrf-victim/);
});

test('log-in attempts are rate limited with 429 and Retry-After', async () => {
  const client = new SiteClient(site.url);
  const statuses: number[] = [];
  for (let attempt = 0; attempt < 12; attempt++) {
    const response = await client.postForm('/login', { username: 'nobody', password: 'wrong password' });
    statuses.push(response.status);
    if (response.status === 429) {
      assert.ok(Number(response.headers.get('retry-after')) > 0);
      assert.match(await response.text(), /too many requests/);
    }
  }
  assert.deepEqual(statuses.slice(0, 10), Array(10).fill(400));
  assert.deepEqual(statuses.slice(10), [429, 429]);
  // The site is not behind a proxy here (TRUST_PROXY defaults to off): a made-up client address changes nothing.
  const spoofed = await client.request('/login', {
    method: 'POST',
    body: new URLSearchParams({ username: 'nobody', password: 'wrong password', _csrf: client.csrfToken }),
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '203.0.113.7' },
  });
  assert.equal(spoofed.status, 429);
});

test('comments are rate limited per member', async () => {
  const client = new SiteClient(site.url);
  await site.member(client, 'chatty');
  const statuses: number[] = [];
  for (let n = 0; n < 11; n++) {
    statuses.push((await client.postForm('/papers/2611.00002/comments', { body: `comment ${n}` })).status);
  }
  assert.deepEqual(statuses, [...Array(10).fill(303), 429]);
});

test('markup in titles, abstracts, author names and comments is shown as text, never run', async () => {
  const client = new SiteClient(site.url);
  await site.member(client, 'commenter');
  await client.postForm('/papers/2611.00001/comments', {
    body: `Look: ${EVIL} https://example.org/x?a=1&b=<2>`,
  });
  for (const path of [
    '/papers/2611.00001',
    '/papers/date/2026-11-20',
    '/authors/Mallory%20%3Cscript%3Ealert(%22owned%22)%3C%2Fscript%3E',
    '/search?q=escaping',
  ]) {
    const page = await (await client.get(path)).text();
    assert.doesNotMatch(page, /<script>alert/, path);
    assert.doesNotMatch(page, /<img src=x/, path);
    assert.match(page, /&lt;script&gt;alert/, path);
  }
  const paperPage = await (await client.get('/papers/2611.00001')).text();
  assert.match(paperPage, /<a href="https:\/\/example\.org\/x\?a=1&amp;b=" rel="nofollow ugc noopener"/);
});

const NASTY = [
  '"',
  "'",
  '*',
  '(',
  ')',
  'NEAR(',
  'a AND',
  'OR NOT',
  '-',
  '--',
  "'; DROP TABLE papers; --",
  '" OR 1=1 --',
  '%',
  '_',
  '\\',
  '^',
  '{}',
  'title:x',
  'papers_fts:*',
  '\u0000',
  '😀',
  '../../etc/passwd',
  '%00',
  'x'.repeat(5000),
];

test('SQL and FTS metacharacters in any parameter never cause a 500', async () => {
  const client = new SiteClient(site.url);
  await site.member(client, 'fuzzer');
  const paths = (value: string) => {
    const q = encodeURIComponent(value);
    return [
      `/search?q=${q}`,
      `/search?q=${q}&p=${q}`,
      `/api/papers/search?q=${q}`,
      `/api/papers/search?q=x&limit=${q}`,
      `/api/daily_papers?submitter=${q}`,
      `/api/daily_papers?date=${q}`,
      `/api/daily_papers?week=${q}&month=${q}`,
      `/api/daily_papers?sort=${q}&p=${q}`,
      `/api/papers/${q}`,
      `/papers/${q}`,
      `/papers/date/${q}`,
      `/papers/date?date=${q}`,
      `/papers/week/${q}`,
      `/papers/month/${q}`,
      `/papers/week?week=${q}`,
      `/authors/${q}`,
      `/orgs/${q}`,
      `/papers/trending?p=${q}`,
      `/feeds/date/${q}.xml`,
      `/login?next=${q}`,
    ];
  };
  for (const value of NASTY) {
    for (const path of paths(value)) {
      const response = await client.get(path);
      assert.ok(response.status < 500, `${path} answered ${response.status}`);
      await response.arrayBuffer();
    }
    const submit = await client.postForm('/submit', { paper: value });
    assert.ok(submit.status < 500, `submit ${JSON.stringify(value)}: ${submit.status}`);
  }
});
