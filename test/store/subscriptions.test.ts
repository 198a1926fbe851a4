// The Store contract for subscriptions, run on every store kind (test/store/support/contract.ts).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type DigestTopics, NO_TOPICS } from '../../src/domain/subscription.ts';
import { DuplicateError, NotFoundError } from '../../src/store/store.ts';
import { member, storeContract } from './support/contract.ts';

storeContract({ areas: ['subscriptions'] }, ({ kind, freshDb, fresh }) => {
  describe('subscriptions', () => {
    test('subscriptions: unique address, confirmation, changes, counts', async (t) => {
      const store = await fresh(t);
      const now = '2026-11-24T12:00:00.000Z';
      const later = '2026-11-24T13:00:00.000Z';
      const topics: DigestTopics = {
        queries: ['diffusion models'],
        authors: ['Ada Lovelace'],
        organizations: [],
      };
      const ada = await member(store, 'ada');
      const a = await store.subscriptions.createSubscription(
        { email: 'A@example.org', frequency: 'daily', topics, memberId: ada.id },
        now,
      );
      assert.deepEqual(a, {
        id: a.id,
        email: 'A@example.org',
        frequency: 'daily',
        topics,
        status: 'pending',
        memberId: ada.id,
        createdAt: now,
        updatedAt: now,
        confirmedAt: null,
        bounceReason: null,
      });
      await assert.rejects(
        store.subscriptions.createSubscription(
          { email: 'a@EXAMPLE.org', frequency: 'weekly', topics: NO_TOPICS, memberId: null },
          now,
        ),
        (error: Error) => error instanceof DuplicateError && error.field === 'email',
      );
      assert.deepEqual(await store.subscriptions.getSubscription(a.id), a);
      assert.equal(await store.subscriptions.getSubscription(a.id + 1000), null);
      assert.deepEqual(await store.subscriptions.findSubscriptionByEmail('a@example.ORG'), a);
      assert.equal(await store.subscriptions.findSubscriptionByEmail('b@example.org'), null);

      const active = await store.subscriptions.updateSubscription(a.id, { status: 'active' }, later);
      assert.equal(active.confirmedAt, later);
      assert.equal(active.updatedAt, later);
      assert.equal(active.createdAt, now);
      assert.deepEqual(active.topics, topics, 'unchanged fields stay');
      const again = await store.subscriptions.updateSubscription(
        a.id,
        { status: 'active' },
        '2026-11-25T00:00:00.000Z',
      );
      assert.equal(again.confirmedAt, later, 'confirming twice keeps the first time');
      const changed = await store.subscriptions.updateSubscription(
        a.id,
        { frequency: 'weekly', topics: NO_TOPICS, memberId: null, bounceReason: 'x' },
        later,
      );
      assert.equal(changed.frequency, 'weekly');
      assert.deepEqual(changed.topics, NO_TOPICS);
      assert.equal(changed.memberId, null);
      assert.equal(changed.bounceReason, 'x');
      assert.equal(changed.status, 'active');
      const cleared = await store.subscriptions.updateSubscription(
        a.id,
        { bounceReason: null, memberId: ada.id },
        later,
      );
      assert.equal(cleared.bounceReason, null);
      assert.equal(cleared.memberId, ada.id);
      assert.equal(cleared.frequency, 'weekly');
      await assert.rejects(
        store.subscriptions.updateSubscription(a.id + 1000, { status: 'active' }, later),
        NotFoundError,
      );

      const b = await store.subscriptions.createSubscription(
        { email: 'b@example.org', frequency: 'daily', topics: NO_TOPICS, memberId: null },
        now,
      );
      await store.subscriptions.createSubscription(
        {
          email: 'c@example.org',
          frequency: 'daily',
          topics: { queries: [], authors: [], organizations: ['acme'] },
          memberId: null,
        },
        now,
      );
      await store.subscriptions.updateSubscription(b.id, { status: 'unsubscribed' }, later);
      assert.equal((await store.subscriptions.getSubscription(b.id))?.confirmedAt, null);
      assert.deepEqual(
        (await store.subscriptions.countSubscriptions())
          .map((count) => [count.status, count.frequency, count.topical, count.count])
          .sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y))),
        [
          ['active', 'weekly', false, 1],
          ['pending', 'daily', true, 1],
          ['unsubscribed', 'daily', false, 1],
        ],
      );
    });
  });
});
