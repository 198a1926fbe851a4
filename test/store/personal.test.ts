// The Store contract for the personal areas (store.follows, store.library), run on every store kind (test/store/support/contract.ts).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DuplicateSlugError } from '../../src/store/library.ts';
import { NotFoundError, type Store } from '../../src/store/store.ts';
import { paperRecord } from '../helpers/records.ts';
import { storeContract } from './support/contract.ts';

const T1 = '2026-11-20T10:00:00.000Z';
const T2 = '2026-11-21T10:00:00.000Z';

async function withMembers(store: Store, ...names: string[]) {
  const members = [];
  for (const name of names) {
    members.push(
      await store.members.createMember({
        username: name,
        email: `${name}@example.org`,
        passwordHash: 'x',
        role: 'member',
      }),
    );
  }
  await store.papers.writeBatch(['2501.00001', '2501.00002', '2501.00003'].map((id) => paperRecord(id)));
  return members.map((member) => member.id);
}
storeContract({ areas: ['follows', 'library'] }, ({ freshDb }) => {
  describe('follows', () => {
    test('follow is unique per kind and target, listed in order, removable by its owner only', async (t) => {
      const store = await (await freshDb(t)).open();
      const [ada, bob] = (await withMembers(store, 'ada', 'bob')) as [number, number];
      const first = await store.follows.follow(
        ada,
        { kind: 'author', target: 'Yann LeCun', label: 'Yann LeCun' },
        T1,
      );
      assert.equal(first.created, true);
      assert.deepEqual(first.follow, {
        id: first.follow.id,
        kind: 'author',
        target: 'Yann LeCun',
        label: 'Yann LeCun',
        createdAt: T1,
      });
      const again = await store.follows.follow(
        ada,
        { kind: 'author', target: 'Yann LeCun', label: 'other' },
        T2,
      );
      assert.deepEqual(again, { follow: first.follow, created: false });
      const topic = await store.follows.follow(
        ada,
        { kind: 'topic', target: 'diffusion cat:cs.CV', label: 'Diffusion' },
        T2,
      );
      await store.follows.follow(ada, { kind: 'organization', target: 'Yann LeCun', label: 'x' }, T2);
      assert.deepEqual(
        (await store.follows.list(ada)).map((follow) => [follow.kind, follow.target]),
        [
          ['author', 'Yann LeCun'],
          ['topic', 'diffusion cat:cs.CV'],
          ['organization', 'Yann LeCun'],
        ],
      );
      assert.equal(await store.follows.count(ada), 3);
      assert.equal(await store.follows.count(bob), 0);
      assert.equal((await store.follows.find(ada, 'topic', 'diffusion cat:cs.CV'))?.label, 'Diffusion');
      assert.equal(await store.follows.find(bob, 'topic', 'diffusion cat:cs.CV'), null);
      assert.equal(await store.follows.unfollow(bob, topic.follow.id), false, 'not bob’s to remove');
      assert.equal(await store.follows.unfollow(ada, topic.follow.id), true);
      assert.equal(await store.follows.unfollow(ada, topic.follow.id), false);
      assert.equal(await store.follows.count(ada), 2);
    });

    test('the same follow sent at once from several instances is stored once', async (t) => {
      const database = await freshDb(t);
      const stores = [await database.open(), await database.open(), await database.open()];
      const [ada] = (await withMembers(stores[0] as Store, 'ada')) as [number];
      const results = await Promise.all(
        stores.flatMap((store) =>
          [1, 2].map(() =>
            store.follows.follow(ada, { kind: 'organization', target: 'meta', label: 'Meta' }, T1),
          ),
        ),
      );
      assert.equal(results.filter((result) => result.created).length, 1);
      assert.equal(new Set(results.map((result) => result.follow.id)).size, 1);
      assert.equal(await stores[2]?.follows.count(ada), 1);
    });
  });

  describe('library', () => {
    test('saves carry tags; listing by tag, counts, untag and remove', async (t) => {
      const store = await (await freshDb(t)).open();
      const [ada, bob] = (await withMembers(store, 'ada', 'bob')) as [number, number];
      const saved = await store.library.save(ada, '2501.00001', ['rl', 'to read'], T1);
      assert.deepEqual(saved, { paperId: '2501.00001', tags: ['rl', 'to read'], savedAt: T1 });
      const more = await store.library.save(ada, '2501.00001', ['rl', 'zz'], T2);
      assert.deepEqual(
        more,
        { paperId: '2501.00001', tags: ['rl', 'to read', 'zz'], savedAt: T1 },
        'first save time kept',
      );
      await store.library.save(ada, '2501.00002', ['rl'], T2);
      await store.library.save(bob, '2501.00003', ['rl'], T2);
      await assert.rejects(store.library.save(ada, '2599.99999', ['rl'], T2), NotFoundError);

      assert.deepEqual(
        (await store.library.list(ada, { limit: 10, offset: 0 })).map((save) => save.paperId),
        ['2501.00002', '2501.00001'],
      );
      assert.deepEqual(
        (await store.library.list(ada, { tag: 'to read', limit: 10, offset: 0 })).map((save) => [
          save.paperId,
          save.tags,
        ]),
        [['2501.00001', ['rl', 'to read', 'zz']]],
      );
      assert.deepEqual(
        (await store.library.list(ada, { limit: 1, offset: 1 })).map((save) => save.paperId),
        ['2501.00001'],
      );
      assert.equal(await store.library.countSaves(ada), 2);
      assert.equal(await store.library.countSaves(ada, 'rl'), 2);
      assert.equal(await store.library.countSaves(ada, 'none'), 0);
      assert.deepEqual(
        (await store.library.tags(ada)).map((tag) => [tag.tag, tag.papers, tag.collection]),
        [
          ['rl', 2, null],
          ['to read', 1, null],
          ['zz', 1, null],
        ],
      );
      const tagsOf = await store.library.tagsOf(ada, ['2501.00001', '2501.00003', 'nope']);
      assert.deepEqual([...tagsOf], [['2501.00001', ['rl', 'to read', 'zz']]]);
      assert.deepEqual([...(await store.library.tagsOf(ada, []))], []);

      assert.equal(await store.library.untag(ada, '2501.00002', 'rl'), true);
      assert.equal(await store.library.untag(ada, '2501.00002', 'rl'), false);
      assert.equal(await store.library.countSaves(ada), 1, 'the last tag gone, the save is gone');
      assert.equal(await store.library.remove(ada, '2501.00001'), true);
      assert.equal(await store.library.remove(ada, '2501.00001'), false);
      assert.equal(await store.library.countSaves(ada), 0);
      assert.equal(await store.library.countSaves(bob), 1, 'other members keep theirs');
    });

    test('a tag becomes a collection; slugs are unique per member; private ones are still found', async (t) => {
      const store = await (await freshDb(t)).open();
      const [ada, bob] = (await withMembers(store, 'ada', 'bob')) as [number, number];
      await store.library.save(ada, '2501.00001', ['rl', 'vision'], T1);
      await store.library.save(bob, '2501.00002', ['rl'], T1);
      const text = { slug: 'reinforcement', title: 'RL picks', description: 'What I read' };
      const collection = await store.library.setCollection(
        ada,
        { tag: 'rl', ...text, visibility: 'public' },
        T1,
      );
      assert.deepEqual(collection, {
        memberId: ada,
        owner: 'ada',
        tag: 'rl',
        ...text,
        visibility: 'public',
        createdAt: T1,
        updatedAt: T1,
      });
      await assert.rejects(
        store.library.setCollection(
          ada,
          { tag: 'vision', ...{ ...text, title: 'Vision' }, visibility: 'public' },
          T2,
        ),
        DuplicateSlugError,
      );
      await assert.rejects(
        store.library.setCollection(
          ada,
          { tag: 'unused', ...{ ...text, slug: 'x' }, visibility: 'public' },
          T2,
        ),
        NotFoundError,
      );
      const bobs = await store.library.setCollection(bob, { tag: 'rl', ...text, visibility: 'public' }, T2);
      assert.equal(bobs.owner, 'bob', 'another member may use the same slug');
      const hidden = await store.library.setCollection(
        ada,
        { tag: 'rl', ...{ ...text, title: 'Mine' }, visibility: 'private' },
        T2,
      );
      assert.deepEqual(
        [hidden.visibility, hidden.title, hidden.createdAt, hidden.updatedAt],
        ['private', 'Mine', T1, T2],
      );
      assert.deepEqual(await store.library.findCollection('ADA', 'reinforcement'), hidden);
      assert.equal(await store.library.findCollection('ada', 'nope'), null);
      assert.deepEqual(
        (await store.library.tags(ada)).map((tag) => tag.collection?.slug ?? null),
        ['reinforcement', null],
      );
      assert.deepEqual(await store.library.collections(ada), [hidden]);
    });

    test('"not interested" marks and the private feed token', async (t) => {
      const store = await (await freshDb(t)).open();
      const [ada, bob] = (await withMembers(store, 'ada', 'bob')) as [number, number];
      await store.library.markNotInterested(ada, '2501.00001', T1);
      await store.library.markNotInterested(ada, '2501.00001', T2);
      await store.library.markNotInterested(ada, '2501.00002', T2);
      await assert.rejects(store.library.markNotInterested(ada, '2599.99999', T2), NotFoundError);
      assert.deepEqual(await store.library.notInterested(ada, 10), [
        { paperId: '2501.00002', at: T2 },
        { paperId: '2501.00001', at: T1 },
      ]);
      assert.equal(await store.library.unmarkNotInterested(ada, '2501.00002'), true);
      assert.equal(await store.library.unmarkNotInterested(ada, '2501.00002'), false);
      assert.deepEqual(await store.library.notInterested(bob, 10), []);

      assert.equal(await store.library.feedTokenNonce(ada), null);
      await store.library.setFeedTokenNonce(ada, 'nonce-1', T1);
      await store.library.setFeedTokenNonce(ada, 'nonce-2', T2);
      assert.equal(await store.library.feedTokenNonce(ada), 'nonce-2', 'replaced');
      assert.equal(await store.library.feedTokenNonce(bob), null);
      await store.library.setFeedTokenNonce(ada, null, T2);
      assert.equal(await store.library.feedTokenNonce(ada), null, 'revoked');
    });

    test('saves go with their paper', async (t) => {
      const store = await (await freshDb(t)).open();
      const [ada] = (await withMembers(store, 'ada')) as [number];
      await store.library.save(ada, '2501.00001', ['rl'], T1);
      await store.library.markNotInterested(ada, '2501.00001', T1);
      await store.papers.deletePaper('2501.00001');
      assert.equal(await store.library.countSaves(ada), 0);
      assert.deepEqual(await store.library.notInterested(ada, 10), []);
    });
  });

  test('forgetting a member removes their follows, saves, collections, marks and feed token only', async (t) => {
    const store = await (await freshDb(t)).open();
    const [ada, bob] = (await withMembers(store, 'ada', 'bob')) as [number, number];
    for (const member of [ada, bob]) {
      await store.follows.follow(
        member,
        { kind: 'author', target: 'Ada Lovelace', label: 'Ada Lovelace' },
        T1,
      );
      await store.library.save(member, '2501.00001', ['rl'], T1);
      await store.library.setCollection(
        member,
        { tag: 'rl', slug: 'rl', title: 'RL', description: '', visibility: 'public' },
        T1,
      );
      await store.library.markNotInterested(member, '2501.00002', T1);
      await store.library.setFeedTokenNonce(member, `nonce-${member}`, T1);
    }
    await store.follows.forget(ada);
    await store.library.forget(ada);
    const holdings = async (member: number) => [
      await store.follows.count(member),
      await store.library.countSaves(member),
      (await store.library.collections(member)).length,
      (await store.library.notInterested(member, 10)).length,
      await store.library.feedTokenNonce(member),
    ];
    assert.deepEqual(await holdings(ada), [0, 0, 0, 0, null]);
    assert.deepEqual(await holdings(bob), [1, 1, 1, 1, `nonce-${bob}`]);
  });

  test('personal digests: one mark per subscription, set twice kept once, taken back', async (t) => {
    const store = await (await freshDb(t)).open();
    const topics = { queries: [], authors: [], organizations: [] };
    const a = await store.subscriptions.createSubscription(
      { email: 'a@example.org', frequency: 'daily', topics, memberId: null },
      T1,
    );
    const b = await store.subscriptions.createSubscription(
      { email: 'b@example.org', frequency: 'weekly', topics, memberId: null },
      T1,
    );
    await store.library.setPersonalDigest(a.id, true, T1);
    await store.library.setPersonalDigest(a.id, true, T2);
    assert.deepEqual([...(await store.library.personalDigests([a.id, b.id, 999]))], [a.id]);
    assert.deepEqual([...(await store.library.personalDigests([]))], []);
    assert.equal(await store.library.replacedDigest(a.id), null, 'it replaced no digest');
    await store.library.setPersonalDigest(b.id, true, T1, 'weekly');
    await store.library.setPersonalDigest(b.id, true, T2, 'daily');
    assert.equal(
      await store.library.replacedDigest(b.id),
      'weekly',
      'the digest it replaced, from the first mark',
    );
    await store.library.setPersonalDigest(a.id, false, T2);
    await store.library.setPersonalDigest(b.id, false, T2);
    assert.deepEqual([...(await store.library.personalDigests([a.id, b.id]))], []);
    assert.equal(await store.library.replacedDigest(b.id), null, 'forgotten with the mark');
  });
});
