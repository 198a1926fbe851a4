// The personal layer through the real site (SQLite): follow, save with tags, collections and their feeds, For you
// with reasons, not interested, the private feed; and hostile input answered with clear errors.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { SiteClient } from '../scripts/lib/http-client.ts';
import { personalPapers } from './helpers/personal-papers.ts';
import { author, listedOn } from './helpers/records.ts';
import { type RunningSite, startSite } from './helpers/site.ts';

let site: RunningSite;

before(async () => {
  site = await startSite({
    records: personalPapers(),
  });
});
after(() => site.close());

async function member(name: string): Promise<SiteClient> {
  const client = new SiteClient(site.url);
  await site.member(client, name);
  return client;
}

test('visitors are sent to log in; the For you tab is for members only', async () => {
  const visitor = new SiteClient(site.url);
  for (const path of ['/for-you', '/following', '/library']) {
    const response = await visitor.get(path);
    assert.equal(response.status, 303, path);
    assert.match(response.headers.get('location') ?? '', /^\/login\?next=/);
  }
  assert.doesNotMatch(await (await visitor.get('/')).text(), /href="\/for-you"/);
  const ada = await member('ada-tabs');
  assert.match(await (await ada.get('/')).text(), /href="\/for-you"/);
});

test('cold start offers topics; following one, saving and the reasons on For you', async () => {
  const ada = await member('ada');
  const cold = await (await ada.get('/for-you')).text();
  assert.match(cold, /Tell us what you read/);
  assert.match(cold, /Popular with the community/);

  const followed = await ada.postForm('/follows', {
    kind: 'author',
    target: 'Alan Turing',
    next: '/for-you',
  });
  assert.equal(followed.status, 303);
  assert.equal(followed.headers.get('location'), '/for-you');
  const authorPage = await (await ada.get('/authors/Alan%20Turing')).text();
  assert.match(authorPage, /Following · Unfollow/);

  assert.equal(
    (await ada.postForm('/library/save', { paperId: '2611.00001', tags: 'RL, to read', next: '/' })).status,
    303,
  );
  const page = await (await ada.get('/for-you')).text();
  assert.doesNotMatch(page, /Tell us what you read/);
  assert.match(page, /By Alan Turing, whom you follow/);
  assert.match(page, /You saved “Offline reinforcement learning with uncertainty”/);

  const search = await (await ada.get('/search?q=reinforcement')).text();
  assert.match(search, /Follow this search/);
  await ada.postForm('/follows', { kind: 'topic', target: 'reinforcement', label: 'RL' });
  assert.match(await (await ada.get('/search?q=reinforcement')).text(), /Following · Unfollow/);
  const following = await (await ada.get('/following')).text();
  assert.match(following, /Alan Turing/);
  assert.match(following, /RL/);

  const notInterested = await ada.postForm('/library/not-interested', {
    paperId: '2611.00003',
    next: '/for-you',
  });
  assert.equal(notInterested.status, 303);
  assert.doesNotMatch(await (await ada.get('/for-you')).text(), /2611\.00003/);
});

test('library by tag, a published collection with its RSS, Atom and JSON, then made private', async () => {
  const bob = await member('bob');
  await bob.postForm('/library/save', { paperId: '2611.00003', tags: 'bio' });
  await bob.postForm('/library/save', { paperId: '2611.00002', tags: 'bio, rl' });
  const library = await (await bob.get('/library?tag=bio')).text();
  assert.match(library, /Publish collection/);
  assert.match(library, /More like this tag/);
  const published = await bob.postForm('/library/collections', {
    tag: 'bio',
    title: 'Bio & ML',
    description: 'Papers <b>I</b> like',
    visibility: 'public',
  });
  assert.equal(published.status, 303);

  const visitor = new SiteClient(site.url);
  const page = await (await visitor.get('/collections/bob/bio')).text();
  assert.match(page, /Bio &amp; ML/);
  assert.match(page, /Papers &lt;b&gt;I&lt;\/b&gt; like/);
  assert.match(page, /Diffusion models for &lt;protein&gt; design/);
  const rss = await visitor.get('/collections/bob/bio.xml');
  assert.match(rss.headers.get('content-type') ?? '', /rss/);
  assert.match(await rss.text(), /<item>/);
  assert.match(await (await visitor.get('/collections/bob/bio.atom')).text(), /<entry>/);
  const json = (await (await visitor.get('/collections/bob/bio.json')).json()) as {
    papers: Array<{ id: string }>;
  };
  assert.deepEqual(json.papers.map((paper) => paper.id).sort(), ['2611.00002', '2611.00003']);
  const memberPage = await (await visitor.get('/users/bob')).text();
  assert.match(
    memberPage,
    /<a href="\/collections\/bob\/bio">Bio &amp; ML<\/a> <span class="meta">2 papers<\/span>/,
  );

  const taken = await bob.postForm('/library/collections', { tag: 'rl', slug: 'bio', visibility: 'public' });
  assert.equal(taken.status, 400);
  assert.match(await taken.text(), /already have a collection at “bio”/);

  await bob.postForm('/library/collections', { tag: 'bio', title: 'Bio & ML', visibility: 'private' });
  assert.equal((await visitor.get('/collections/bob/bio')).status, 404);
  assert.equal((await visitor.get('/collections/bob/bio.xml')).status, 404);
  assert.equal((await bob.get('/collections/bob/bio')).status, 200, 'the owner still sees it');
  assert.doesNotMatch(
    await (await visitor.get('/users/bob')).text(),
    /Collections/,
    'a private one is not listed',
  );
});

test('the private feed: made on the account page, readable by its address only, revoked by a new one', async () => {
  const cy = await member('cy');
  assert.match(await (await cy.get('/account')).text(), /Make a private feed/);
  await cy.postForm('/account/feed-token', { action: 'regenerate' });
  const account = await (await cy.get('/account')).text();
  const address = /value="http:\/\/127\.0\.0\.1:\d+(\/feeds\/for-you\/[^"]+\.xml)"/.exec(account)?.[1];
  assert.ok(address, 'the account page shows the address');
  const visitor = new SiteClient(site.url);
  const feed = await visitor.get(address);
  assert.equal(feed.status, 200);
  assert.match(feed.headers.get('cache-control') ?? '', /no-store/);
  assert.match(await feed.text(), /<rss/);
  const tampered = address.replace(/(.)\.xml$/, (_, last: string) => `${last === 'A' ? 'B' : 'A'}.xml`);
  assert.equal((await visitor.get(tampered)).status, 404, 'one character changed');
  await cy.postForm('/account/feed-token', { action: 'regenerate' });
  assert.equal((await visitor.get(address)).status, 404, 'the old address is revoked');
  assert.equal((await visitor.get('/feeds/for-you/garbage.xml')).status, 404);
});

test('hostile input gets clear errors, never a 500', async () => {
  const eve = await member('eve');
  const cases: Array<[string, Record<string, string>, number, RegExp]> = [
    ['/library/save', { paperId: '2611.00001', tags: 'x'.repeat(9_000) }, 400, /tags/],
    ['/library/save', { paperId: '2611.00001', tags: 'ok, -bad' }, 400, /starts with a letter/],
    ['/library/save', { paperId: '../../etc/passwd', tags: 'a' }, 404, /not found/],
    ['/library/save', { paperId: '2611.99999', tags: 'a' }, 404, /not found/],
    ['/library/untag', { paperId: '2611.00001', tag: '' }, 400, /tag/],
    ['/library/collections', { tag: 'never-used', visibility: 'public' }, 404, /not found/],
    ['/follows', { kind: 'planet', target: 'Mars' }, 400, /follow an author/],
    [
      '/follows',
      { kind: 'topic', target: 'author:a author:b author:c author:d author:e author:f' },
      400,
      /author/,
    ],
    ['/follows', { kind: 'author', target: 'Nobody At All' }, 404, /not found/],
    ['/follows/abc/delete', {}, 404, /not found/],
    ['/account/feed-token', { action: 'explode' }, 400, /regenerate/],
  ];
  for (const [path, fields, status, message] of cases) {
    const response = await eve.postForm(path, fields);
    assert.equal(response.status, status, `${path} ${JSON.stringify(fields).slice(0, 80)}`);
    assert.match(await response.text(), message, path);
  }
  const json = await eve.postJson('/library/save', { paperId: '2611.00001', tags: ['a', 'b\u0001'] });
  assert.equal(json.status, 400);
  const twice = await Promise.all(
    [1, 2].map(() => eve.postForm('/library/save', { paperId: '2611.00002', tags: 'dup' })),
  );
  assert.deepEqual(
    twice.map((response) => response.status),
    [303, 303],
  );
  assert.equal(
    await site.store.library.countSaves((await site.store.members.findMemberForLogin('eve'))?.id ?? 0, 'dup'),
    1,
  );
  assert.equal((await eve.get('/for-you?tag=%00')).status, 400);
  assert.equal((await eve.get(`/library?tag=${'x'.repeat(200)}`)).status, 400);
  assert.equal((await eve.postForm('/library/save', { paperId: '2611.00001' }, { csrf: false })).status, 403);
});

test('the JSON API: follows, library, collections and the feed, as the logged-in member', async () => {
  const visitor = new SiteClient(site.url);
  assert.equal((await visitor.get('/api/me/feed')).status, 401);
  assert.equal((await visitor.postJson('/api/me/library', { paperId: '2611.00001' })).status, 401);
  const dan = await member('dan');
  const followed = await dan.postJson('/api/me/follows', { kind: 'organization', target: 'deepmind' });
  assert.equal(followed.status, 201);
  const follow = (await followed.json()) as { id: number; kind: string };
  assert.equal(follow.kind, 'organization');
  assert.equal(
    (await dan.postJson('/api/me/follows', { kind: 'organization', target: 'deepmind' })).status,
    200,
  );
  const saved = await dan.postJson('/api/me/library', { paperId: '2611.00001', tags: ['RL', 'later'] });
  assert.equal(saved.status, 201);
  assert.deepEqual(((await saved.json()) as { tags: string[] }).tags, ['later', 'rl']);
  const library = (await (await dan.get('/api/me/library?tag=rl')).json()) as Array<{
    paperId: string;
    paper: { title: string };
  }>;
  assert.deepEqual(
    library.map((save) => [save.paperId, save.paper.title]),
    [['2611.00001', 'Offline reinforcement learning with uncertainty']],
  );
  const collection = await dan.postJson('/api/me/collections', {
    tag: 'rl',
    title: 'RL',
    visibility: 'public',
  });
  assert.equal(collection.status, 200);
  assert.match(((await collection.json()) as { url: string }).url, /\/collections\/dan\/rl$/);
  const tags = (await (await dan.get('/api/me/tags')).json()) as Array<{
    tag: string;
    collection: { slug: string } | null;
  }>;
  assert.deepEqual(
    tags.map((tag) => [tag.tag, tag.collection?.slug ?? null]),
    [
      ['later', null],
      ['rl', 'rl'],
    ],
  );

  const feed = (await (await dan.get('/api/me/feed?limit=10')).json()) as {
    coldStart: boolean;
    papers: Array<{ paper: { id: string }; reasons: Array<{ kind: string }> }>;
  };
  assert.equal(feed.coldStart, false);
  const deepmind = feed.papers.find((entry) => entry.paper.id === '2611.00003');
  assert.deepEqual(deepmind?.reasons, [{ kind: 'organization', name: 'deepmind' }]);
  assert.equal((await dan.postJson('/api/me/not-interested', { paperId: '2611.00003' })).status, 204);
  const after = (await (await dan.get('/api/me/feed')).json()) as {
    papers: Array<{ paper: { id: string } }>;
  };
  assert.ok(!after.papers.some((entry) => entry.paper.id === '2611.00003'));

  assert.equal((await dan.postJson(`/api/me/follows/${follow.id}/delete`, {})).status, 204);
  assert.deepEqual(await (await dan.get('/api/me/follows')).json(), []);
  assert.equal(
    (await dan.postJson('/api/me/library/untag', { paperId: '2611.00001', tag: 'later' })).status,
    204,
  );
  assert.equal((await dan.postJson('/api/me/library/remove', { paperId: '2611.00001' })).status, 204);
  assert.equal((await dan.postJson('/api/me/library/remove', { paperId: '2611.00001' })).status, 404);

  const bad: Array<[string, unknown, RegExp]> = [
    ['/api/me/follows', { kind: 'planet', target: 'x' }, /^kind:/],
    ['/api/me/library', { paperId: '2611.00001', tags: ['ok', 'b\u0001'] }, /^tags:/],
    ['/api/me/library', { paperId: '2611.00001', tags: 'x'.repeat(5_000) }, /^tags:/],
    ['/api/me/collections', { tag: 'rl', slug: 'Bad Slug', visibility: 'public' }, /^slug:/],
    ['/api/me/not-interested', { paperId: 7 }, /^paperId:/],
  ];
  for (const [path, body, message] of bad) {
    const response = await dan.postJson(path, body);
    assert.equal(response.status, 400, path);
    assert.match(((await response.json()) as { error: string }).error, message, path);
  }
  assert.equal((await dan.get('/api/me/feed?limit=1000')).status, 400);
  assert.equal(
    (await dan.postJson('/api/me/library', { paperId: '2611.00001' }, { csrf: false })).status,
    403,
  );
});

test('the data download holds the personal layer, and deleting the account removes it and its collections', async () => {
  const fay = await member('fay');
  await fay.postForm('/library/save', { paperId: '2611.00001', tags: 'mine' });
  await fay.postForm('/library/collections', { tag: 'mine', visibility: 'public' });
  await fay.postForm('/follows', { kind: 'author', target: 'Ada Lovelace' });
  const data = (await (await fay.get('/account/export')).json()) as {
    saves: Array<{ paperId: string; tags: string[] }>;
    follows: Array<{ target: string }>;
    collections: Array<{ slug: string }>;
  };
  assert.deepEqual(
    data.saves.map((save) => [save.paperId, save.tags]),
    [['2611.00001', ['mine']]],
  );
  assert.deepEqual(
    data.follows.map((follow) => follow.target),
    ['Ada Lovelace'],
  );
  assert.deepEqual(
    data.collections.map((collection) => collection.slug),
    ['mine'],
  );
  const visitor = new SiteClient(site.url);
  assert.equal((await visitor.get('/collections/fay/mine')).status, 200);
  const fayId = (await site.store.members.findMemberForLogin('fay'))?.id ?? 0;
  const deleted = await fay.postForm('/account/delete', { confirm: 'correct horse battery staple' });
  assert.ok(deleted.status < 400, `delete: ${deleted.status}`);
  assert.equal((await visitor.get('/collections/fay/mine')).status, 404);
  assert.deepEqual(await site.store.library.collections(fayId), [], 'nothing stays under the anonymous name');
  assert.equal(await site.store.library.countSaves(fayId), 0);
  assert.equal(await site.store.follows.count(fayId), 0);
});

test('notifications tell of new papers by followed authors, not of those out before the follow', async () => {
  const nia = await member('nia');
  await site.store.papers.writeBatch([
    listedOn('2026-11-02', '2611.09001', {
      title: 'An older paper by Grace',
      authors: [author('Grace Hopper')],
      daily: { day: '2026-11-02', submittedBy: null, submittedAt: '2026-11-02T14:00:00.000Z' },
    }),
  ]);
  assert.equal((await nia.postForm('/follows', { kind: 'author', target: 'Grace Hopper' })).status, 303);
  const later = new Date(Date.now() + 60_000).toISOString();
  await site.store.papers.writeBatch([
    listedOn(later.slice(0, 10), '2611.09002', {
      title: 'Compilers for everyone',
      authors: [author('Grace Hopper')],
      daily: { day: later.slice(0, 10), submittedBy: null, submittedAt: later },
    }),
  ]);
  const page = await (await nia.get('/notifications')).text();
  assert.match(page, /New paper by Grace Hopper, whom you follow: “Compilers for everyone”/);
  assert.match(page, /href="\/papers\/2611\.09002"/);
  assert.doesNotMatch(page, /An older paper by Grace/);
  await site.store.papers.writeBatch([
    listedOn(later.slice(0, 10), '2611.09002', {
      title: 'Compilers for all of us',
      authors: [author('Grace Hopper')],
      daily: { day: later.slice(0, 10), submittedBy: null, submittedAt: later },
    }),
  ]);
  assert.match(
    await (await nia.get('/notifications')).text(),
    /“Compilers for all of us”/,
    'a new title shows',
  );
});
