// The Store contract for the people areas (store.apiTokens, store.authorClaims, store.people, store.notifications), run on every store kind (test/store/support/contract.ts).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { NotFoundError, type Store } from '../../src/store/store.ts';
import { listedOn } from '../helpers/records.ts';
import { storeContract } from './support/contract.ts';

const addMember = (store: Store, username: string) =>
  store.members.createMember({
    username,
    email: `${username}@example.org`,
    passwordHash: `hash-${username}`,
    role: 'member',
  });
const comment = (store: Store, paperId: string, memberId: number, parentId: number | null, body: string) =>
  store.engagement.addComment({ paperId, memberId, parentId, body });
storeContract(
  { areas: ['apiTokens', 'authorClaims', 'people', 'notifications'] },
  ({ fresh, freshSeveral }) => {
    describe('people', () => {
      test('API tokens: created up to a limit, found by hash, use noted once a minute, revoked by their owner', async (t) => {
        const store = await fresh(t);
        const ada = await addMember(store, 'ada');
        const bob = await addMember(store, 'bob');
        const first = await store.apiTokens.create(ada.id, 'laptop', 'hash-1', 2);
        assert.ok(first);
        assert.equal(first.name, 'laptop');
        assert.equal(first.lastUsedAt, null);
        assert.ok(await store.apiTokens.create(ada.id, 'script', 'hash-2', 2));
        assert.equal(await store.apiTokens.create(ada.id, 'third', 'hash-3', 2), null, 'over the limit');
        assert.ok(await store.apiTokens.create(bob.id, 'bob', 'hash-b', 2), 'the limit is per member');
        assert.deepEqual(
          (await store.apiTokens.list(ada.id)).map((token) => token.name),
          ['laptop', 'script'],
        );

        assert.deepEqual(await store.apiTokens.memberFor('hash-1', '2030-01-01T00:00:00.000Z'), ada);
        assert.equal(await store.apiTokens.memberFor('hash-x', '2030-01-01T00:00:00.000Z'), null);
        assert.equal(await store.apiTokens.memberFor("' OR 1=1 --", '2030-01-01T00:00:00.000Z'), null);
        await store.apiTokens.memberFor('hash-1', '2030-01-01T00:00:30.000Z');
        assert.equal((await store.apiTokens.list(ada.id))[0]?.lastUsedAt, '2030-01-01T00:00:00.000Z');
        await store.apiTokens.memberFor('hash-1', '2030-01-01T00:01:01.000Z');
        assert.equal((await store.apiTokens.list(ada.id))[0]?.lastUsedAt, '2030-01-01T00:01:01.000Z');

        assert.equal(await store.apiTokens.revoke(bob.id, first.id), false, 'not bob’s token');
        assert.equal(await store.apiTokens.revoke(ada.id, first.id), true);
        assert.equal(await store.apiTokens.revoke(ada.id, first.id), false);
        assert.equal(await store.apiTokens.memberFor('hash-1', '2030-01-01T00:02:00.000Z'), null, 'revoked');

        await store.members.deleteMember(ada.id, 'deleted-ada');
        assert.equal(
          await store.apiTokens.memberFor('hash-2', '2030-01-01T00:02:00.000Z'),
          null,
          'gone with the account',
        );
        assert.deepEqual(await store.apiTokens.list(ada.id), []);
      });

      test('API tokens: concurrent creations from several instances stop at the limit', async (t) => {
        const stores = await freshSeveral(t, 3);
        const ada = await addMember(stores[0] as Store, 'ada');
        const created = await Promise.all(
          Array.from({ length: 12 }, (_, i) =>
            (stores[i % 3] as Store).apiTokens.create(ada.id, `t${i}`, `h${i}`, 5),
          ),
        );
        assert.equal(created.filter(Boolean).length, 5);
        assert.equal((await (stores[1] as Store).apiTokens.list(ada.id)).length, 5);
      });

      test('author claims: pending, one approved member per name, decisions once, gone with the account', async (t) => {
        const store = await fresh(t);
        const ada = await addMember(store, 'ada');
        const bob = await addMember(store, 'bob');
        const now = '2026-12-01T00:00:00.000Z';
        const adaClaim = await store.authorClaims.claim(ada.id, 'Ada Lovelace', now);
        assert.ok(typeof adaClaim === 'object');
        assert.deepEqual(
          { ...adaClaim, id: 0 },
          {
            id: 0,
            authorName: 'Ada Lovelace',
            memberId: ada.id,
            username: 'ada',
            status: 'pending',
            createdAt: now,
            decidedAt: null,
          },
        );
        assert.equal(
          await store.authorClaims.claim(ada.id, 'Ada Lovelace', now),
          'pending',
          'once while pending',
        );
        const bobClaim = await store.authorClaims.claim(bob.id, 'Ada Lovelace', now);
        assert.ok(typeof bobClaim === 'object', 'several members may claim while none is approved');
        assert.deepEqual(
          (await store.authorClaims.listPending(10)).map((claim) => claim.username),
          ['ada', 'bob'],
        );

        assert.equal(
          await store.authorClaims.decide(adaClaim.id, true, '2026-12-02T00:00:00.000Z'),
          'approved',
        );
        assert.equal(await store.authorClaims.decide(adaClaim.id, false, now), 'decided');
        assert.equal(await store.authorClaims.decide(bobClaim.id, true, now), 'taken');
        assert.equal(await store.authorClaims.claim(bob.id, 'Ada Lovelace', now), 'taken');
        assert.equal(await store.authorClaims.decide(bobClaim.id, false, now), 'rejected');
        await assert.rejects(store.authorClaims.decide(99_999, true, now), NotFoundError);
        assert.deepEqual(await store.authorClaims.listPending(10), []);

        const approved = await store.authorClaims.approvedFor(['Ada Lovelace', 'Nobody', 'Ada Lovelace']);
        assert.deepEqual(
          approved.map((claim) => [claim.authorName, claim.username, claim.status, claim.decidedAt]),
          [['Ada Lovelace', 'ada', 'approved', '2026-12-02T00:00:00.000Z']],
        );
        assert.deepEqual(await store.authorClaims.approvedFor([]), []);
        assert.deepEqual(
          (await store.authorClaims.ofMember(bob.id)).map((claim) => claim.status),
          ['rejected'],
        );
        await store.members.deleteMember(ada.id, 'deleted-ada');
        assert.deepEqual(
          await store.authorClaims.approvedFor(['Ada Lovelace']),
          [],
          'the page no longer names them',
        );
      });

      test('author claims: of concurrent approvals on several instances, one wins', async (t) => {
        const stores = await freshSeveral(t, 3);
        const first = stores[0] as Store;
        const claims = [];
        for (const name of ['a1', 'a2', 'a3', 'a4']) {
          const member = await addMember(first, name);
          claims.push(await first.authorClaims.claim(member.id, 'Shared Name', '2026-12-01T00:00:00.000Z'));
        }
        const decisions = await Promise.all(
          claims.map((claim, i) =>
            (stores[i % 3] as Store).authorClaims.decide(
              (claim as { id: number }).id,
              true,
              '2026-12-02T00:00:00.000Z',
            ),
          ),
        );
        assert.equal(decisions.filter((decision) => decision === 'approved').length, 1);
        assert.equal(decisions.filter((decision) => decision === 'taken').length, 3);
        assert.equal((await first.authorClaims.approvedFor(['Shared Name'])).length, 1);
      });

      test('member pages: by name, case-insensitive, visible comments only, deleted accounts unknown', async (t) => {
        const store = await fresh(t);
        await store.papers.writeBatch([
          listedOn('2026-11-23', '2611.00001', { title: 'First' }),
          listedOn('2026-11-23', '2611.00002', { title: 'Second' }),
        ]);
        const ada = await addMember(store, 'Ada');
        const bob = await addMember(store, 'bob');
        assert.deepEqual(await store.people.memberByUsername('ADA'), {
          id: ada.id,
          username: 'Ada',
          role: 'member',
          createdAt: ada.createdAt,
        });
        assert.equal(await store.people.memberByUsername('nobody'), null);
        const one = await comment(store, '2611.00001', ada.id, null, 'one');
        const hidden = await comment(store, '2611.00001', ada.id, null, 'hidden');
        await comment(store, '2611.00002', ada.id, null, 'on a hidden paper');
        const three = await comment(store, '2611.00001', ada.id, one.id, 'three');
        await comment(store, '2611.00001', bob.id, null, 'bob');
        await store.engagement.setCommentHidden(hidden.id, true);
        await store.papers.setPaperHidden('2611.00002', true);
        const comments = await store.people.visibleComments(ada.id, 10, 0);
        assert.deepEqual(
          comments.map((c) => [c.id, c.body, c.paperTitle, c.parentId]),
          [
            [three.id, 'three', 'First', one.id],
            [one.id, 'one', 'First', null],
          ],
        );
        assert.equal(await store.people.countVisibleComments(ada.id), 2);
        assert.deepEqual(
          (await store.people.visibleComments(ada.id, 1, 1)).map((c) => c.id),
          [one.id],
        );
        await store.members.deleteMember(bob.id, 'deleted-bob');
        assert.equal(await store.people.memberByUsername('deleted-bob'), null);
      });

      test('notifications: replies by others to visible comments, counted since the last read', async (t) => {
        const store = await fresh(t);
        await store.papers.writeBatch([listedOn('2026-11-23', '2611.00001', { title: 'First' })]);
        const ada = await addMember(store, 'ada');
        const bob = await addMember(store, 'bob');
        const top = await comment(store, '2611.00001', ada.id, null, 'question');
        await comment(store, '2611.00001', ada.id, top.id, 'my own follow-up');
        const reply = await comment(store, '2611.00001', bob.id, top.id, 'answer');
        const hiddenReply = await comment(store, '2611.00001', bob.id, top.id, 'rude');
        await store.engagement.setCommentHidden(hiddenReply.id, true);
        const replies = await store.notifications.repliesTo(ada.id, 10);
        assert.deepEqual(
          replies.map((r) => [r.commentId, r.author, r.body, r.paperId, r.paperTitle]),
          [[reply.id, 'bob', 'answer', '2611.00001', 'First']],
        );
        assert.deepEqual(await store.notifications.repliesTo(bob.id, 10), []);
        assert.equal(await store.notifications.countRepliesSince(ada.id, null), 1);
        assert.equal(await store.notifications.readAt(ada.id), null);
        await store.notifications.markRead(ada.id, reply.createdAt);
        assert.equal(await store.notifications.readAt(ada.id), reply.createdAt);
        assert.equal(await store.notifications.countRepliesSince(ada.id, reply.createdAt), 0);
        await store.notifications.markRead(ada.id, '2000-01-01T00:00:00.000Z');
        assert.equal(await store.notifications.readAt(ada.id), reply.createdAt, 'never moves back');
      });
    });
  },
);
