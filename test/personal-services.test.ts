// The personal layer's services on a real SQLite file: follows, library, collections, "For you" and its feed token.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../src/config.ts';
import { MAX_TAGS_PER_SAVE } from '../src/domain/library.ts';
import { recommend } from '../src/domain/recommend/recommend.ts';
import { FormError } from '../src/services/accounts.ts';
import { HiddenPaperError } from '../src/services/engagement.ts';
import { follow, unfollow } from '../src/services/follows.ts';
import { forYou } from '../src/services/for-you.ts';
import { forYouDigestOf, setForYouDigest } from '../src/services/for-you-digest.ts';
import {
  savePaper,
  setCollection,
  setNotInterested,
  untagPaper,
  viewCollection,
} from '../src/services/library.ts';
import {
  memberOfFeedToken,
  personalFeedToken,
  regeneratePersonalFeedToken,
  revokePersonalFeedToken,
} from '../src/services/personal-feed-token.ts';
import { openSqliteStore } from '../src/store/sqlite/index.ts';
import { NotFoundError } from '../src/store/store.ts';
import { addMember } from './helpers/accounts.ts';
import { personalPapers } from './helpers/personal-papers.ts';
import { author, listedOn } from './helpers/records.ts';
import { tempDir } from './helpers/temp.ts';

async function site(t: { after(fn: () => Promise<void>): void }) {
  const store = await openSqliteStore(join(tempDir(), 'personal.db'));
  t.after(() => store.close());
  await store.papers.writeBatch([
    ...personalPapers(),
    listedOn('2026-11-19', '2611.00005', {
      title: 'Hidden paper',
      abstract: 'Hidden by moderators.',
      authors: [author('Ada Lovelace')],
    }),
  ]);
  await store.papers.setPaperHidden('2611.00005', true);
  const ada = await addMember(store, 'ada');
  return { store, ada };
}

const ids = (result: { items: Array<{ paper: { id: string } }> }) =>
  result.items.map((item) => item.paper.id);

test('follows: authors and organizations must exist, topics must parse; following twice keeps one', async (t) => {
  const { store, ada } = await site(t);
  const first = await follow(store, ada, { kind: 'author', target: '  Ada Lovelace ' });
  assert.equal(first.follow.target, 'Ada Lovelace');
  assert.equal((await follow(store, ada, { kind: 'author', target: 'Ada Lovelace' })).created, false);
  await assert.rejects(follow(store, ada, { kind: 'author', target: 'Nobody Here' }), NotFoundError);
  await assert.rejects(follow(store, ada, { kind: 'organization', target: 'nowhere' }), NotFoundError);
  const topic = await follow(store, ada, {
    kind: 'topic',
    target: 'diffusion cat:cs.LG',
    label: 'Diffusion',
  });
  assert.equal(topic.follow.label, 'Diffusion');
  await assert.rejects(
    follow(store, ada, { kind: 'topic', target: 'author:a author:b author:c author:d author:e author:f' }),
    FormError,
  );
  await assert.rejects(follow(store, ada, { kind: 'topic', target: 'x'.repeat(501) }), /at most 500/);
  await assert.rejects(follow(store, ada, { kind: 'topic', target: 'bad\u0001query' }), /control characters/);
  await assert.rejects(follow(store, ada, { kind: 'topic', target: 2611 }), /send text/);
  await assert.rejects(follow(store, ada, { kind: 'topic', target: '   ' }), /cannot be empty/);
  await unfollow(store, ada, String(topic.follow.id));
  await assert.rejects(unfollow(store, ada, String(topic.follow.id)), NotFoundError);
  await assert.rejects(unfollow(store, ada, 'abc'), NotFoundError);
});

test('library: tags are normalized and bounded, hidden papers cannot be saved, collections need a free slug', async (t) => {
  const { store, ada } = await site(t);
  const saved = await savePaper(store, ada, '2611.00001', ' RL ,  To   Read, rl');
  assert.deepEqual(saved.tags, ['rl', 'to read']);
  assert.deepEqual((await savePaper(store, ada, '2611.00002', '')).tags, ['saved'], 'the default tag');
  await assert.rejects(savePaper(store, ada, '2611.00001', 'x'.repeat(41)), /at most 40/);
  await assert.rejects(savePaper(store, ada, '2611.00001', 'x'.repeat(100_000)), FormError);
  await assert.rejects(savePaper(store, ada, '2611.00001', '-dash'), /starts with a letter/);
  await assert.rejects(savePaper(store, ada, '2611.00001', 'a\u0007b'), /control characters/);
  await assert.rejects(
    savePaper(
      store,
      ada,
      '2611.00001',
      Array.from({ length: MAX_TAGS_PER_SAVE + 1 }, (_, i) => `t${i}`).join(','),
    ),
    /at most 10 tags/,
  );
  await assert.rejects(savePaper(store, ada, '2611.00005', 'rl'), HiddenPaperError);
  await assert.rejects(savePaper(store, ada, '2611.99999', 'rl'), NotFoundError);
  await untagPaper(store, ada, '2611.00001', 'to read');
  await assert.rejects(untagPaper(store, ada, '2611.00001', 'to read'), NotFoundError);

  const collection = await setCollection(store, ada, { tag: 'RL', title: 'My RL', visibility: 'public' });
  assert.equal(collection.slug, 'rl');
  await assert.rejects(
    setCollection(store, ada, { tag: 'saved', slug: 'rl', visibility: 'public' }),
    /already have/,
  );
  await assert.rejects(
    setCollection(store, ada, { tag: 'saved', slug: 'Not A Slug', visibility: 'public' }),
    FormError,
  );
  await assert.rejects(setCollection(store, ada, { tag: 'unused', visibility: 'public' }), NotFoundError);
  const bob = await addMember(store, 'bob');
  assert.equal((await viewCollection(store, null, 'ADA', 'rl')).title, 'My RL');
  await setCollection(store, ada, { tag: 'rl', title: 'My RL', visibility: 'private' });
  await assert.rejects(viewCollection(store, bob, 'ada', 'rl'), NotFoundError);
  assert.equal(
    (await viewCollection(store, ada, 'ada', 'rl')).visibility,
    'private',
    'the owner still sees it',
  );
});

test('For you: cold start by upvotes, then saves, follows and topics with reasons; not interested leaves', async (t) => {
  const { store, ada } = await site(t);
  const cold = await forYou({ store, recommend }, ada, { limit: 10 });
  assert.equal(cold.coldStart, true);
  assert.deepEqual(
    ids(cold),
    ['2611.00003', '2611.00004', '2611.00001', '2611.00002'],
    'by upvotes, no hidden',
  );

  await savePaper(store, ada, '2611.00001', 'rl');
  const warm = await forYou({ store, recommend }, ada, { limit: 10 });
  assert.equal(warm.coldStart, false);
  assert.equal(ids(warm)[0], '2611.00002', 'the paper like the saved one comes first');
  assert.ok(!ids(warm).includes('2611.00001'), 'the saved paper itself is left out');
  assert.deepEqual(warm.items[0]?.reasons, [
    {
      kind: 'similar',
      paperId: '2611.00001',
      title: 'Offline reinforcement learning with uncertainty',
      signal: 'save',
    },
  ]);

  await follow(store, ada, { kind: 'organization', target: 'deepmind' });
  await follow(store, ada, { kind: 'topic', target: 'graph molecules', label: 'Chemistry' });
  const followed = await forYou({ store, recommend }, ada, { limit: 10 });
  const reasons = new Map(followed.items.map((item) => [item.paper.id, item.reasons]));
  assert.deepEqual(reasons.get('2611.00003'), [{ kind: 'organization', name: 'deepmind' }]);
  assert.deepEqual(reasons.get('2611.00004'), [{ kind: 'topic', label: 'Chemistry' }]);

  await setNotInterested(store, ada, '2611.00003', true);
  assert.ok(!ids(await forYou({ store, recommend }, ada, { limit: 10 })).includes('2611.00003'));
  await setNotInterested(store, ada, '2611.00003', false);
  assert.ok(ids(await forYou({ store, recommend }, ada, { limit: 10 })).includes('2611.00003'));

  const byTag = await forYou({ store, recommend }, ada, { limit: 10, tag: 'rl' });
  assert.equal(ids(byTag)[0], '2611.00002', 'more like this tag');
  assert.ok(byTag.items.every((item) => item.reasons.every((reason) => reason.kind !== 'organization')));
});

test('For you after votes, comments and new text: fresh counts and texts, topic matches kept across votes and found again for changed papers', async (t) => {
  const { store, ada } = await site(t);
  await follow(store, ada, { kind: 'topic', target: 'graph molecules', label: 'Chemistry' });
  const topicPapers = async () =>
    (await forYou({ store, recommend }, ada, { limit: 10 })).items
      .filter((item) => item.reasons.some((reason) => reason.kind === 'topic'))
      .map((item) => item.paper.id);
  assert.deepEqual(await topicPapers(), ['2611.00004']);

  const bob = await addMember(store, 'bob');
  await store.engagement.setUpvote(bob.id, '2611.00002', true);
  const afterVote = await forYou({ store, recommend }, ada, { limit: 10 });
  assert.equal(afterVote.items.find((item) => item.paper.id === '2611.00002')?.paper.upvotes, 2);
  assert.deepEqual(await topicPapers(), ['2611.00004'], 'a vote changes no match');

  const [changed] = personalPapers().filter((record) => record.id === '2611.00001');
  assert.ok(changed);
  await store.papers.writeBatch([{ ...changed, abstract: 'Offline policies for graph molecules.' }]);
  assert.deepEqual(await topicPapers(), ['2611.00004', '2611.00001'], 'a paper whose text now matches');
  const afterImport = await forYou({ store, recommend }, ada, { limit: 10 });
  assert.equal(
    afterImport.items.find((item) => item.paper.id === '2611.00001')?.paper.abstract,
    'Offline policies for graph molecules.',
    'the card shows the new text',
  );
  await store.engagement.addComment({
    paperId: '2611.00002',
    memberId: bob.id,
    parentId: null,
    body: 'Good',
  });
  const afterComment = await forYou({ store, recommend }, ada, { limit: 10 });
  assert.equal(afterComment.items.find((item) => item.paper.id === '2611.00002')?.paper.numComments, 1);

  await store.papers.setPaperHidden('2611.00004', true);
  assert.deepEqual(await topicPapers(), ['2611.00001'], 'a hidden paper leaves');
});

test('the private feed token: shown again, revoked by regenerating or revoking, never forged', async (t) => {
  const { store, ada } = await site(t);
  const config = loadConfig({ DATABASE_URL: ':memory:', SECRET: 'test-secret-test-secret-test-secret' });
  assert.equal(await personalFeedToken(store, config, ada), null);
  const token = await regeneratePersonalFeedToken(store, config, ada);
  assert.equal(await personalFeedToken(store, config, ada), token);
  assert.equal((await memberOfFeedToken(store, config, token))?.id, ada.id);
  const bob = await addMember(store, 'bob');
  const forged = `${bob.id}.${token.split('.')[1]}`;
  assert.equal(await memberOfFeedToken(store, config, forged), null);
  assert.equal(await memberOfFeedToken(store, config, 'garbage'), null);
  const next = await regeneratePersonalFeedToken(store, config, ada);
  assert.notEqual(next, token);
  assert.equal(await memberOfFeedToken(store, config, token), null, 'the old token is revoked');
  await revokePersonalFeedToken(store, ada);
  assert.equal(await memberOfFeedToken(store, config, next), null);
});

test('stopping the personal digest gives the address its own topic digest back, and unsubscribes only an address that had none', async (t) => {
  const { store, ada } = await site(t);
  const topics = { queries: ['diffusion'], authors: [], organizations: [] };
  const own = await store.subscriptions.createSubscription(
    { email: ada.email, frequency: 'weekly', topics, memberId: ada.id },
    '2026-11-01T00:00:00Z',
  );
  await store.subscriptions.updateSubscription(own.id, { status: 'active' }, '2026-11-01T00:00:00Z');
  await setForYouDigest(store, ada, 'daily');
  assert.equal(await forYouDigestOf(store, ada), 'daily');
  await setForYouDigest(store, ada, 'weekly');
  await setForYouDigest(store, ada, 'off');
  assert.equal(await forYouDigestOf(store, ada), null);
  const kept = await store.subscriptions.getSubscription(own.id);
  assert.equal(kept?.status, 'active', 'the topic digest goes on');
  assert.equal(kept?.frequency, 'weekly');
  assert.deepEqual(kept?.topics, topics);
  await setForYouDigest(store, ada, 'off');
  assert.equal(
    (await store.subscriptions.getSubscription(own.id))?.status,
    'active',
    '"Never" again changes nothing',
  );

  const bob = await addMember(store, 'bob');
  await setForYouDigest(store, bob, 'daily');
  await setForYouDigest(store, bob, 'off');
  assert.equal((await store.subscriptions.findSubscriptionByEmail(bob.email))?.status, 'unsubscribed');
});
