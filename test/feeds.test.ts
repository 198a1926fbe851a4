import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { parseFeed } from '@rowanmanning/feed-parser';
import { SiteClient } from '../scripts/lib/http-client.ts';
import { author, listedOn } from './helpers/records.ts';
import { type RunningSite, startSite } from './helpers/site.ts';

let site: RunningSite;
const DAY = '2026-11-20';

before(async () => {
  site = await startSite({
    records: [
      listedOn(DAY, '2611.00001', {
        title: 'Reasoning with <think> tokens & more',
        abstract: 'Decoding stops at <EOS>; models emit <think> blocks & "quotes".',
        authors: [author('Ada Lovelace'), author('Alan Turing')],
        importedUpvotes: 5,
      }),
      listedOn(DAY, '2611.00002', { authors: [author('Grace Hopper')], importedUpvotes: 9 }),
      listedOn(DAY, '2611.00003', {
        authors: [author('Ada Lovelace')],
        importedUpvotes: 1,
        organization: { name: 'r&d.lab', fullName: 'R&D Lab', avatarUrl: null },
      }),
    ],
  });
});
after(async () => {
  await site?.close();
});

const FEEDS = [
  '/feeds/daily',
  '/feeds/week',
  '/feeds/month',
  '/feeds/trending',
  `/feeds/date/${DAY}`,
  '/feeds/week/2026-W47',
  '/feeds/month/2026-11',
  '/feeds/authors/Ada%20Lovelace',
];

async function parsed(path: string) {
  const response = await fetch(`${site.url}${path}`);
  assert.equal(response.status, 200, path);
  return parseFeed(await response.text());
}

test('every feed parses in a real feed parser, with text like <EOS> and <think> kept as text', async () => {
  for (const base of FEEDS) {
    for (const path of [`${base}.xml`, `${base}.atom`]) {
      const feed = await parsed(path);
      const item = feed.items.find((entry) => entry.url?.endsWith('/papers/2611.00001'));
      assert.ok(item, path);
      assert.equal(item.title, 'Reasoning with <think> tokens & more', path);
      assert.match(
        item.description ?? '',
        /Decoding stops at <EOS>; models emit <think> blocks & "quotes"\./,
        path,
      );
      assert.deepEqual(
        item.authors.map((entry) => entry.name),
        ['Ada Lovelace', 'Alan Turing'],
        path,
      );
    }
  }
});

test('RSS names authors in dc:creator, not in <author>', async () => {
  const rss = await (await fetch(`${site.url}/feeds/date/${DAY}.xml`)).text();
  assert.match(rss, /xmlns:dc="http:\/\/purl.org\/dc\/elements\/1.1\/"/);
  assert.match(rss, /<dc:creator>Ada Lovelace<\/dc:creator>\s*<dc:creator>Alan Turing<\/dc:creator>/);
  assert.doesNotMatch(rss, /<author>/);
});

test('list feeds are in the order of their page: by upvotes', async () => {
  for (const path of [`/feeds/date/${DAY}.xml`, '/feeds/daily.atom', '/feeds/month/2026-11.xml']) {
    const feed = await parsed(path);
    assert.deepEqual(
      feed.items.map((item) => item.url?.split('/').pop()),
      ['2611.00002', '2611.00001', '2611.00003'],
      path,
    );
  }
});

test('pages with a list advertise feeds for autodiscovery: lists, paper, search, author and organization pages', async () => {
  for (const path of [
    '/',
    `/papers/date/${DAY}`,
    '/papers/trending',
    '/papers/2611.00001',
    '/search?q=think',
    '/authors/Ada%20Lovelace',
  ]) {
    const page = await (await fetch(`${site.url}${path}`)).text();
    assert.match(
      page,
      /<link rel="alternate" type="application\/rss\+xml"[^>]+href="\/feeds\/[^"]+\.xml"/,
      path,
    );
    assert.match(
      page,
      /<link rel="alternate" type="application\/atom\+xml"[^>]+href="\/feeds\/[^"]+\.atom"/,
      path,
    );
  }
});

test('author and organization feeds list their papers newest first; their pages advertise them', async () => {
  const byAuthor = await parsed('/feeds/authors/Ada%20Lovelace.atom');
  assert.deepEqual(byAuthor.items.map((item) => item.url?.split('/').pop()).sort(), [
    '2611.00001',
    '2611.00003',
  ]);
  const org = await parsed(`/feeds/orgs/${encodeURIComponent('r&d.lab')}.xml`);
  assert.deepEqual(
    org.items.map((item) => item.url?.split('/').pop()),
    ['2611.00003'],
  );
  const page = await (await fetch(`${site.url}/orgs/${encodeURIComponent('r&d.lab')}`)).text();
  assert.match(
    page,
    /<link rel="alternate" type="application\/rss\+xml"[^>]+href="\/feeds\/orgs\/r%26d\.lab\.xml"/,
  );
  const authorPage = await (await fetch(`${site.url}/authors/Ada%20Lovelace`)).text();
  assert.match(authorPage, /href="\/feeds\/authors\/Ada%20Lovelace\.atom"/);
  assert.equal((await fetch(`${site.url}/feeds/authors/Nobody.xml`)).status, 404);
});

test('feeds, API lists and searches are kept between requests, and show a paper written since at once', async () => {
  const paths = [
    `/feeds/date/${DAY}.xml`,
    `/feeds/daily.atom`,
    `/api/daily_papers?date=${DAY}`,
    '/api/papers/search?q=quokka',
    '/search?q=quokka',
  ];
  const before = await Promise.all(paths.map(async (path) => (await fetch(site.url + path)).text()));
  for (const [index, path] of paths.entries()) {
    assert.equal(await (await fetch(site.url + path)).text(), before[index], `${path} served again alike`);
    assert.doesNotMatch(before[index] ?? '', /2611\.00042/, path);
  }
  await site.store.papers.writeBatch([
    listedOn(DAY, '2611.00042', { title: 'Quokka populations', importedUpvotes: 2 }),
  ]);
  for (const path of paths) {
    const response = await fetch(site.url + path);
    assert.equal(response.status, 200, path);
    assert.match(await response.text(), /2611\.00042/, path);
  }
  assert.equal((await fetch(`${site.url}/feeds/date/2026-13-45.xml`)).status, 404);
});

test('kept pages, feeds and API lists follow votes, comments and takedowns at once', async () => {
  const list = `/api/daily_papers?date=${DAY}`;
  const entry = async (id: string) => {
    const entries = (await (await fetch(site.url + list)).json()) as Array<{
      paper: { id: string; upvotes: number };
      numComments: number;
    }>;
    return entries.find((item) => item.paper.id === id);
  };
  const text = async (path: string) => (await fetch(site.url + path)).text();
  const kept = [
    '/papers/date/2026-11-20',
    '/papers/trending',
    `/feeds/date/${DAY}.xml`,
    list,
    '/search?q=abstract',
    '/api/papers/search?q=abstract',
  ];
  // Each asked twice: from here on the caches answer them.
  for (const path of [...kept, ...kept]) await text(path);
  assert.equal((await entry('2611.00003'))?.paper.upvotes, 1);
  assert.equal((await entry('2611.00003'))?.numComments, 0);

  const voter = new SiteClient(site.url);
  await site.member(voter, 'cachevoter');
  assert.equal((await voter.postForm('/papers/2611.00003/upvote', { upvoted: 'true' })).status, 303);
  assert.equal((await entry('2611.00003'))?.paper.upvotes, 2, 'the API list counts the vote');
  assert.match(
    await text('/papers/date/2026-11-20'),
    /<span class="count">2<\/span><span class="visually-hidden"> upvotes<\/span><\/a><\/div>\s*<article class="paper-body">\s*<h2 class="paper-title"><a href="\/papers\/2611\.00003">/,
    'the day page counts the vote',
  );

  const comment = await voter.postForm('/papers/2611.00003/comments', { body: 'Does it hold at scale?' });
  assert.equal(comment.status, 303);
  assert.equal((await entry('2611.00003'))?.numComments, 1, 'the API list counts the comment');
  assert.match(await text('/papers/date/2026-11-20'), /href="\/papers\/2611\.00003#comments">1 comment</);

  const admin = new SiteClient(site.url);
  await site.member(admin, 'cacheadmin', { admin: true });
  assert.equal((await admin.postForm('/papers/2611.00002/hide', { hidden: 'true' })).status, 303);
  try {
    for (const path of kept)
      assert.doesNotMatch(await text(path), /2611\.00002/, `${path} drops the hidden paper`);
  } finally {
    await admin.postForm('/papers/2611.00002/hide', { hidden: 'false' });
  }
  for (const path of kept) assert.match(await text(path), /2611\.00002/, `${path} shows it again`);
});
