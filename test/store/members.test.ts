// The Store contract for members, sessions, rate limits, admin setup, run on every store kind (test/store/support/contract.ts).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { NO_TOPICS } from '../../src/domain/subscription.ts';
import { DuplicateError, type Store } from '../../src/store/store.ts';
import { paperRecord } from '../helpers/records.ts';
import { isIsoTime, member, openSeveral, storeContract } from './support/contract.ts';

storeContract({ areas: ['members', 'rateLimits', 'sessions'] }, ({ kind, freshDb, fresh }) => {
  describe('members', () => {
    test('unique username and email (case-insensitive), login by either, password changes, sessions expire', async (t) => {
      const store = await fresh(t);
      assert.equal(await store.members.countMembers(), 0);
      const ada = await store.members.createMember({
        username: 'ada',
        email: 'ada@example.org',
        passwordHash: 'h1',
        role: 'admin',
      });
      assert.equal(ada.role, 'admin');
      assert.equal(ada.username, 'ada');
      assert.equal(ada.email, 'ada@example.org');
      assert.ok(isIsoTime(ada.createdAt), ada.createdAt);
      assert.deepEqual(await store.members.getMember(ada.id), ada);
      assert.equal(await store.members.getMember(ada.id + 1000), null);
      await assert.rejects(
        store.members.createMember({
          username: 'ADA',
          email: 'x@example.org',
          passwordHash: 'h',
          role: 'member',
        }),
        (error: Error) => error instanceof DuplicateError && error.field === 'username',
      );
      await assert.rejects(
        store.members.createMember({
          username: 'bob',
          email: 'Ada@Example.org',
          passwordHash: 'h',
          role: 'member',
        }),
        (error: Error) => error instanceof DuplicateError && error.field === 'email',
      );
      const bob = await store.members.createMember({
        username: 'Bob',
        email: 'Bob@Example.org',
        passwordHash: 'h2',
        role: 'member',
      });
      assert.equal(bob.role, 'member');
      assert.notEqual(bob.id, ada.id);
      assert.equal(await store.members.countMembers(), 2);
      assert.equal((await store.members.findMemberForLogin('ADA@example.org'))?.passwordHash, 'h1');
      assert.equal((await store.members.findMemberForLogin('Ada'))?.id, ada.id);
      const found = await store.members.findMemberForLogin('bob');
      assert.deepEqual(found, { ...bob, passwordHash: 'h2' });
      assert.equal(await store.members.findMemberForLogin('nobody'), null);
      assert.equal(await store.members.findMemberForLogin("' OR 1=1 --"), null);

      await store.members.setPasswordHash(ada.id, 'h3');
      assert.equal((await store.members.findMemberForLogin('ada'))?.passwordHash, 'h3');
      assert.equal((await store.members.findMemberForLogin('bob'))?.passwordHash, 'h2');

      await store.members.createSession('t1', ada.id, '2030-01-01T00:00:00.000Z');
      await store.members.createSession('t2', ada.id, '2030-01-01T00:00:00.000Z');
      await store.members.createSession('t3', bob.id, '2030-01-01T00:00:00.000Z');
      assert.deepEqual(await store.members.getSessionMember('t1', '2029-12-31T00:00:00.000Z'), ada);
      assert.equal(await store.members.getSessionMember('t1', '2030-01-02T00:00:00.000Z'), null, 'expired');
      assert.equal(await store.members.getSessionMember('nope', '2029-01-01T00:00:00.000Z'), null);
      await store.members.deleteOtherSessions(ada.id, 't1');
      assert.equal(await store.members.getSessionMember('t2', '2029-01-01T00:00:00.000Z'), null);
      assert.equal((await store.members.getSessionMember('t1', '2029-01-01T00:00:00.000Z'))?.id, ada.id);
      assert.equal(
        (await store.members.getSessionMember('t3', '2029-01-01T00:00:00.000Z'))?.id,
        bob.id,
        'others’ kept',
      );
      await store.members.deleteSession('t1');
      assert.equal(await store.members.getSessionMember('t1', '2029-01-01T00:00:00.000Z'), null);
      await store.members.deleteSession('t1');
    });

    test('sessions: a log-in replaces the session the browser had, in one write', async (t) => {
      const store = await fresh(t);
      const ada = await member(store, 'ada');
      const bob = await member(store, 'bob');
      const expires = '2030-01-01T00:00:00.000Z';
      const before = '2029-01-01T00:00:00.000Z';
      await store.sessions.replace(undefined, 'first', ada.id, expires);
      assert.equal((await store.members.getSessionMember('first', before))?.id, ada.id);
      await store.sessions.replace('first', 'second', bob.id, expires);
      assert.equal(await store.members.getSessionMember('first', before), null, 'the old session ended');
      assert.equal((await store.members.getSessionMember('second', before))?.id, bob.id);
      await store.sessions.replace('unknown', 'third', ada.id, expires);
      assert.equal((await store.members.getSessionMember('third', before))?.id, ada.id);
      await assert.rejects(store.sessions.replace('third', 'fourth', 999_999, expires));
      assert.equal(
        (await store.members.getSessionMember('third', before))?.id,
        ada.id,
        'nothing ended when it failed',
      );
    });

    test('rate limits: a fixed window per key', async (t) => {
      const store = await fresh(t);
      const t0 = new Date('2026-11-25T00:00:00Z');
      const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
      for (let i = 0; i < 3; i++)
        assert.deepEqual(await store.members.hitRateLimit('login:1.2.3.4', 3, 60, at(i)), {
          allowed: true,
          retryAfterSeconds: 0,
        });
      assert.deepEqual(await store.members.hitRateLimit('login:1.2.3.4', 3, 60, at(10)), {
        allowed: false,
        retryAfterSeconds: 50,
      });
      assert.deepEqual(await store.members.hitRateLimit('login:1.2.3.4', 3, 60, at(59.5)), {
        allowed: false,
        retryAfterSeconds: 1,
      });
      assert.equal(
        (await store.members.hitRateLimit('login:5.6.7.8', 3, 60, at(10))).allowed,
        true,
        'keys are separate',
      );
      assert.equal(
        (await store.members.hitRateLimit('login:1.2.3.4', 3, 60, at(61))).allowed,
        true,
        'a new window',
      );
      assert.equal((await store.members.hitRateLimit('login:1.2.3.4', 3, 60, at(62))).allowed, true);
      assert.equal((await store.members.hitRateLimit('login:1.2.3.4', 3, 60, at(63))).allowed, true);
      assert.equal((await store.members.hitRateLimit('login:1.2.3.4', 3, 60, at(64))).allowed, false);
      assert.equal((await store.members.hitRateLimit("k'; --", 1, 86_400, at(0))).allowed, true);
    });

    test('sessions: a log-in attempt is counted and its session started in one write, none when refused', async (t) => {
      const store = await fresh(t);
      const ada = await member(store, 'ada');
      const now = new Date('2026-11-25T00:00:00Z');
      const expiresAt = '2030-01-01T00:00:00.000Z';
      const hits = [{ key: 'login:ip:1.2.3.4', limit: 1, windowSeconds: 60 }];
      const first = { tokenHash: 'attempt-1', memberId: ada.id, expiresAt };
      assert.deepEqual(await store.sessions.countAndStart(hits, now, first), {
        allowed: true,
        retryAfterSeconds: 0,
      });
      assert.equal((await store.members.getSessionMember('attempt-1', now.toISOString()))?.id, ada.id);
      const refused = await store.sessions.countAndStart(hits, now, { ...first, tokenHash: 'attempt-2' });
      assert.deepEqual(refused, { allowed: false, retryAfterSeconds: 60 });
      assert.equal(
        await store.members.getSessionMember('attempt-2', now.toISOString()),
        null,
        'no session when refused',
      );
      const later = [{ key: 'login:ip:9.9.9.9', limit: 1, windowSeconds: 60 }];
      await store.sessions.countAndStart(later, now, {
        ...first,
        tokenHash: 'attempt-3',
        endsTokenHash: 'attempt-1',
      });
      assert.equal(
        await store.members.getSessionMember('attempt-1', now.toISOString()),
        null,
        'the old one ended',
      );
      assert.equal((await store.members.getSessionMember('attempt-3', now.toISOString()))?.id, ada.id);
      const unknownLogin = [{ key: 'login:ip:5.6.7.8', limit: 1, windowSeconds: 60 }];
      assert.deepEqual(await store.sessions.countAndStart(unknownLogin, now, null), {
        allowed: true,
        retryAfterSeconds: 0,
      });
      assert.equal(
        (await store.members.hitRateLimit('login:ip:5.6.7.8', 1, 60, now)).allowed,
        false,
        'counted',
      );
    });

    test('rate limits: several keys counted in one write, in order, up to the first refusal', async (t) => {
      const store = await fresh(t);
      const now = new Date('2026-11-25T00:00:00Z');
      const hits = [
        { key: 'login:ip:1.2.3.4', limit: 2, windowSeconds: 60 },
        { key: 'loginAccount:account:ada', limit: 3, windowSeconds: 3600 },
      ];
      for (let i = 0; i < 2; i++)
        assert.deepEqual(await store.rateLimits.hitAll(hits, now), { allowed: true, retryAfterSeconds: 0 });
      assert.deepEqual(await store.rateLimits.hitAll(hits, now), { allowed: false, retryAfterSeconds: 60 });
      // The refused first key kept the second from counting: the account has 2 hits of 3, so one more is allowed.
      assert.equal(
        (await store.members.hitRateLimit('loginAccount:account:ada', 3, 3600, now)).allowed,
        true,
      );
      assert.equal(
        (await store.members.hitRateLimit('loginAccount:account:ada', 3, 3600, now)).allowed,
        false,
      );
      const refusedLater = await store.rateLimits.hitAll(
        [{ key: 'login:ip:5.6.7.8', limit: 2, windowSeconds: 60 }, hits[1] as (typeof hits)[number]],
        now,
      );
      assert.deepEqual(refusedLater, { allowed: false, retryAfterSeconds: 3600 }, 'a later key refuses');
      assert.equal(
        (await store.members.hitRateLimit('login:ip:5.6.7.8', 2, 60, now)).allowed,
        true,
        'first key counted',
      );
      assert.equal((await store.members.hitRateLimit('login:ip:5.6.7.8', 2, 60, now)).allowed, false);
      assert.deepEqual(await store.rateLimits.hitAll([], now), { allowed: true, retryAfterSeconds: 0 });
    });

    test('expired rate-limit counters are purged; current ones keep counting', async (t) => {
      const store = await fresh(t);
      const t0 = new Date('2026-11-25T00:00:00Z');
      const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
      await store.members.hitRateLimit('old', 1, 60, at(0));
      await store.members.hitRateLimit('new', 1, 60, at(100));
      assert.equal(await store.members.purgeRateLimits(at(50)), 1);
      assert.equal(await store.members.purgeRateLimits(at(50)), 0);
      assert.equal((await store.members.hitRateLimit('new', 1, 60, at(101))).allowed, false, 'still counted');
      assert.equal((await store.members.hitRateLimit('old', 1, 60, at(102))).allowed, true, 'started over');
    });

    test('email verification: once, and only for the address the member still has', async (t) => {
      const store = await fresh(t);
      const ada = await member(store, 'ada');
      assert.equal(ada.emailVerified, false, 'sign-ups start unverified');
      const ops = await store.members.createMember({
        username: 'ops',
        email: 'ops@example.org',
        passwordHash: 'h',
        role: 'member',
        emailVerified: true,
      });
      assert.equal(ops.emailVerified, true);
      const now = '2026-11-25T00:00:00.000Z';
      assert.equal(await store.members.verifyMemberEmail(ada.id, 'other@example.org', now), false);
      assert.equal(await store.members.verifyMemberEmail(ada.id, 'ADA@example.org', now), true);
      assert.equal(await store.members.verifyMemberEmail(ada.id, 'ada@example.org', now), false, 'used once');
      assert.equal((await store.members.getMember(ada.id))?.emailVerified, true);
      assert.equal((await store.members.findMemberForLogin('ada'))?.emailVerified, true);
      await store.members.createSession('s', ada.id, '2030-01-01T00:00:00.000Z');
      assert.equal((await store.members.getSessionMember('s', now))?.emailVerified, true);
    });

    test('the admin setup token: only while there is no admin, spent by exactly one of concurrent claims', async (t) => {
      const database = await freshDb(t);
      const stores = await openSeveral(database, 3);
      const [store] = stores as [Store];
      assert.equal(await store.members.hasAdmin(), false);
      await member(store, 'early');
      assert.equal(await store.members.hasAdmin(), false, 'members are not admins');
      assert.equal(await store.members.openAdminSetup('old-token'), true);
      assert.equal(await store.members.openAdminSetup('token'), true, 'a new start replaces the token');
      const claim = (s: Store, i: number) =>
        s.members.claimAdminSetup('token', {
          username: `admin${i}`,
          email: `admin${i}@example.org`,
          passwordHash: 'h',
        });
      assert.equal(
        await store.members.claimAdminSetup('old-token', {
          username: 'x',
          email: 'x@example.org',
          passwordHash: 'h',
        }),
        null,
        'the replaced token is void',
      );
      await assert.rejects(
        store.members.claimAdminSetup('token', {
          username: 'EARLY',
          email: 'e@example.org',
          passwordHash: 'h',
        }),
        (error: Error) => error instanceof DuplicateError,
      );
      const results = await Promise.all(
        Array.from({ length: 9 }, (_, i) => claim(stores[i % stores.length] as Store, i)),
      );
      const admins = results.filter((result) => result !== null);
      assert.equal(admins.length, 1, 'one claim wins');
      assert.equal(admins[0]?.role, 'admin');
      assert.equal(admins[0]?.emailVerified, false, 'as given: the route sets it');
      assert.equal(await store.members.hasAdmin(), true);
      assert.equal(await claim(store, 50), null, 'spent');
      assert.equal(await store.members.openAdminSetup('later'), false, 'no setup once there is an admin');
    });

    test('deleting a member: sessions and subscriptions go, comments, submissions and votes stay anonymous', async (t) => {
      const store = await fresh(t);
      await store.papers.writeBatch([paperRecord('2501.00070'), paperRecord('2501.00071')]);
      const ada = await member(store, 'ada');
      const bob = await member(store, 'bob');
      await store.engagement.setUpvote(ada.id, '2501.00070', true);
      const comment = await store.engagement.addComment({
        paperId: '2501.00070',
        memberId: ada.id,
        parentId: null,
        body: 'mine',
      });
      await store.engagement.addComment({
        paperId: '2501.00070',
        memberId: bob.id,
        parentId: null,
        body: 'bob',
      });
      assert.equal(
        await store.engagement.listSubmission('2501.00071', '2025-01-06', ada, '2025-01-06T10:00:00.000Z'),
        true,
      );
      const now = '2025-01-06T11:00:00.000Z';
      await store.subscriptions.createSubscription(
        { email: 'ada@example.org', frequency: 'daily', topics: NO_TOPICS, memberId: null },
        now,
      );
      await store.subscriptions.createSubscription(
        { email: 'other@example.org', frequency: 'weekly', topics: NO_TOPICS, memberId: ada.id },
        now,
      );
      await store.members.createSession('ada-session', ada.id, '2030-01-01T00:00:00.000Z');
      await store.members.createSession('bob-session', bob.id, '2030-01-01T00:00:00.000Z');

      const exported = await store.members.exportMember(ada.id);
      assert.ok(exported);
      assert.deepEqual(exported.profile, {
        username: 'ada',
        email: 'ada@example.org',
        role: 'member',
        createdAt: ada.createdAt,
        emailVerified: false,
      });
      assert.deepEqual(
        exported.upvotes.map((vote) => vote.paperId),
        ['2501.00070'],
      );
      assert.deepEqual(
        exported.comments.map(({ id, body, hidden }) => ({ id, body, hidden })),
        [{ id: comment.id, body: 'mine', hidden: false }],
      );
      assert.deepEqual(exported.submissions, [
        { paperId: '2501.00071', day: '2025-01-06', submittedAt: '2025-01-06T10:00:00.000Z' },
      ]);
      assert.deepEqual(
        exported.subscriptions.map(({ email, frequency, topics }) => ({ email, frequency, topics })),
        [
          { email: 'ada@example.org', frequency: 'daily', topics: NO_TOPICS },
          { email: 'other@example.org', frequency: 'weekly', topics: NO_TOPICS },
        ],
      );
      assert.equal(await store.members.exportMember(ada.id + 1000), null);

      await store.members.deleteMember(ada.id, 'deleted-1a2b');
      assert.equal(await store.members.getSessionMember('ada-session', now), null);
      assert.equal((await store.members.getSessionMember('bob-session', now))?.id, bob.id);
      assert.equal(await store.subscriptions.findSubscriptionByEmail('ada@example.org'), null);
      assert.equal(await store.subscriptions.findSubscriptionByEmail('other@example.org'), null);
      assert.equal(await store.members.findMemberForLogin('ada'), null);
      assert.equal(await store.members.findMemberForLogin('ada@example.org'), null);
      const comments = await store.engagement.listComments('2501.00070');
      assert.deepEqual(
        comments.map((c) => [c.author, c.body]),
        [
          ['deleted-1a2b', 'mine'],
          ['bob', 'bob'],
        ],
      );
      assert.equal((await store.papers.getPaper('2501.00070'))?.upvotes, 1, 'the vote still counts');
      assert.equal((await store.papers.getPaper('2501.00071'))?.daily?.submittedBy?.user, 'deleted-1a2b');
      const again = await member(store, 'ada');
      assert.notEqual(again.id, ada.id, 'the name and address are free again');
      await store.members.deleteMember(ada.id + 1000, 'deleted-none');
    });
  });
});
