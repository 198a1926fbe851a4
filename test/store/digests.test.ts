// The Store contract for the digest send log and runs, and sendDigests on each store, run on every store kind (test/store/support/contract.ts).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type DigestTopics, NO_TOPICS } from '../../src/domain/subscription.ts';
import { MailError, type Mailer, type RawMail } from '../../src/mail/mailer.ts';
import { sendDigests } from '../../src/services/digests.ts';
import { MailLinks } from '../../src/services/mail-links.ts';
import { listedOn } from '../helpers/records.ts';
import { range, storeContract } from './support/contract.ts';

storeContract({ areas: ['digests'] }, ({ kind, freshDb, fresh }) => {
  describe('digests', () => {
    test('the send log: due, claims, outcomes (rejected → bounced), papers sent, runs', async (t) => {
      const store = await fresh(t);
      const now = '2026-11-24T12:00:00.000Z';
      const subscribe = async (email: string, frequency: 'daily' | 'weekly' = 'daily', confirm = true) => {
        const created = await store.subscriptions.createSubscription(
          { email, frequency, topics: NO_TOPICS, memberId: null },
          now,
        );
        return confirm
          ? store.subscriptions.updateSubscription(created.id, { status: 'active' }, now)
          : created;
      };
      const a = await subscribe('a@example.org');
      const pending = await subscribe('pending@example.org', 'daily', false);
      const b = await subscribe('b@example.org');
      const weekly = await subscribe('w@example.org', 'weekly');
      const c = await subscribe('c@example.org');
      const gone = await subscribe('gone@example.org');
      await store.subscriptions.updateSubscription(gone.id, { status: 'unsubscribed' }, now);
      const period = 'daily:2026-11-24';
      const dueIds = async (p = period, afterId = 0, limit = 10) =>
        (await store.digests.dueSubscriptions({ frequency: 'daily', period: p, afterId, limit })).map(
          (entry) => entry.subscription.id,
        );

      assert.deepEqual(await dueIds(), [a.id, b.id, c.id], 'active daily ones, by id');
      assert.ok(!(await dueIds()).includes(pending.id));
      assert.deepEqual(
        (
          await store.digests.dueSubscriptions({
            frequency: 'weekly',
            period: 'weekly:2026-W47',
            afterId: 0,
            limit: 10,
          })
        ).map((entry) => entry.subscription.id),
        [weekly.id],
      );
      assert.deepEqual(await dueIds(period, 0, 2), [a.id, b.id], 'a page');
      assert.deepEqual(await dueIds(period, b.id, 2), [c.id], 'the next page');
      const [first] = await store.digests.dueSubscriptions({
        frequency: 'daily',
        period,
        afterId: 0,
        limit: 1,
      });
      assert.deepEqual(first, {
        subscription: await store.subscriptions.getSubscription(a.id),
        claim: null,
      });

      await store.digests.claimDigests(
        [
          {
            subscriptionId: a.id,
            period,
            status: 'pending',
            paperIds: ['2611.1', '2611.2'],
            messageId: '<m1@x>',
          },
          { subscriptionId: b.id, period, status: 'empty', paperIds: [], messageId: null },
        ],
        now,
      );
      assert.deepEqual(await store.digests.getDigestSend(a.id, period), {
        subscriptionId: a.id,
        period,
        status: 'pending',
        paperIds: ['2611.1', '2611.2'],
        messageId: '<m1@x>',
        attempts: 0,
        lastError: null,
        updatedAt: now,
      });
      assert.equal(await store.digests.getDigestSend(c.id, period), null);
      // Claiming again changes nothing: the first claim's papers and Message-ID stay.
      await store.digests.claimDigests(
        [{ subscriptionId: a.id, period, status: 'pending', paperIds: ['9'], messageId: '<m2@x>' }],
        '2026-11-24T12:30:00.000Z',
      );
      await store.digests.claimDigests([], now);
      const due = await store.digests.dueSubscriptions({ frequency: 'daily', period, afterId: 0, limit: 10 });
      assert.deepEqual(
        due.map((entry) => [
          entry.subscription.id,
          entry.claim?.paperIds ?? null,
          entry.claim?.messageId ?? null,
        ]),
        [
          [a.id, ['2611.1', '2611.2'], '<m1@x>'],
          [c.id, null, null],
        ],
        'the pending claim is due again with the same content; the empty one is done',
      );
      assert.deepEqual(due[0]?.claim, await store.digests.getDigestSend(a.id, period));

      const sent = await store.digests.sentPaperIds([a.id, b.id, c.id], '2026-01-01T00:00:00.000Z');
      assert.deepEqual([...sent.keys()], [a.id], 'empty digests and unclaimed ones have no papers');
      assert.deepEqual([...(sent.get(a.id) ?? [])].sort(), ['2611.1', '2611.2']);
      assert.equal((await store.digests.sentPaperIds([a.id], '2026-11-25T00:00:00.000Z')).size, 0, 'since');
      assert.equal((await store.digests.sentPaperIds([], '2026-01-01T00:00:00.000Z')).size, 0);

      const t1 = '2026-11-24T12:01:00.000Z';
      await store.digests.recordDigestOutcome(
        { subscriptionId: a.id, period },
        { status: 'pending', error: '451 try later' },
        t1,
      );
      let send = await store.digests.getDigestSend(a.id, period);
      assert.equal(send?.status, 'pending');
      assert.equal(send?.attempts, 1);
      assert.equal(send?.lastError, '451 try later');
      assert.equal(send?.updatedAt, t1);
      assert.deepEqual(await dueIds(), [a.id, c.id], 'deferred: still due');
      await store.digests.recordDigestOutcome({ subscriptionId: a.id, period }, { status: 'sent' }, t1);
      send = await store.digests.getDigestSend(a.id, period);
      assert.equal(send?.status, 'sent');
      assert.equal(send?.attempts, 2);
      assert.equal(send?.lastError, null);
      assert.deepEqual(await dueIds(), [c.id]);
      // A late outcome for a digest already marked sent does not undo it.
      await store.digests.recordDigestOutcome(
        { subscriptionId: a.id, period },
        { status: 'pending', error: 'late' },
        t1,
      );
      assert.equal((await store.digests.getDigestSend(a.id, period))?.status, 'sent');
      assert.deepEqual(
        [...((await store.digests.sentPaperIds([a.id], '2026-01-01T00:00:00.000Z')).get(a.id) ?? [])].sort(),
        ['2611.1', '2611.2'],
        'sent papers are remembered',
      );

      const next = 'daily:2026-11-25';
      assert.deepEqual(await dueIds(next), [a.id, b.id, c.id], 'a new period: everyone is due again');
      await store.digests.claimDigests(
        [
          { subscriptionId: b.id, period: next, status: 'pending', paperIds: ['3'], messageId: '<m3@x>' },
          { subscriptionId: a.id, period: next, status: 'pending', paperIds: ['4'], messageId: '<m4@x>' },
        ],
        now,
      );
      await store.digests.recordDigestOutcome(
        { subscriptionId: b.id, period: next },
        { status: 'rejected', error: '550 no such user' },
        t1,
      );
      assert.equal((await store.digests.getDigestSend(b.id, next))?.status, 'rejected');
      assert.equal((await store.digests.getDigestSend(b.id, next))?.lastError, '550 no such user');
      const bounced = await store.subscriptions.getSubscription(b.id);
      assert.equal(bounced?.status, 'bounced');
      assert.equal(bounced?.bounceReason, '550 no such user');
      assert.equal(bounced?.updatedAt, t1);
      assert.deepEqual(await dueIds(next), [a.id, c.id], 'a bounced address is not due');
      assert.ok(!(await store.digests.sentPaperIds([b.id], '2026-01-01T00:00:00.000Z')).get(b.id)?.has('3'));
      await store.digests.recordDigestOutcome(
        { subscriptionId: a.id, period: next },
        { status: 'rejected', error: 'x'.repeat(5000) },
        t1,
      );
      assert.equal(
        (await store.subscriptions.getSubscription(a.id))?.status,
        'bounced',
        'a long error is no problem',
      );

      // A rejection for a subscriber who has left keeps them unsubscribed.
      await store.digests.claimDigests(
        [{ subscriptionId: c.id, period: next, status: 'pending', paperIds: ['5'], messageId: '<m5@x>' }],
        now,
      );
      await store.subscriptions.updateSubscription(c.id, { status: 'unsubscribed' }, t1);
      await store.digests.recordDigestOutcome(
        { subscriptionId: c.id, period: next },
        { status: 'rejected', error: '550' },
        t1,
      );
      assert.equal((await store.subscriptions.getSubscription(c.id))?.status, 'unsubscribed');

      assert.deepEqual(await store.digests.listDigestRuns(10), []);
      const run1 = await store.digests.startDigestRun(period, '2026-11-24T12:00:00.000Z');
      const run2 = await store.digests.startDigestRun(next, '2026-11-25T12:00:00.000Z');
      assert.notEqual(run1, run2);
      let runs = await store.digests.listDigestRuns(10);
      assert.deepEqual(
        runs.map((run) => run.id),
        [run2, run1],
        'newest first',
      );
      assert.deepEqual(runs[1], {
        id: run1,
        period,
        status: 'running',
        startedAt: '2026-11-24T12:00:00.000Z',
        finishedAt: null,
        sent: 0,
        empty: 0,
        rejected: 0,
        deferred: 0,
        note: null,
      });
      await store.digests.finishDigestRun(
        run1,
        {
          sent: 5,
          empty: 2,
          rejected: 1,
          deferred: 3,
          status: 'failed',
          note: 'stopped: server unavailable',
        },
        '2026-11-24T12:10:00.000Z',
      );
      await store.digests.finishDigestRun(
        run2,
        { sent: 1, empty: 0, rejected: 0, deferred: 0, status: 'finished', note: null },
        '2026-11-25T12:10:00.000Z',
      );
      runs = await store.digests.listDigestRuns(1);
      assert.equal(runs.length, 1);
      assert.deepEqual((await store.digests.listDigestRuns(10))[1], {
        id: run1,
        period,
        status: 'failed',
        startedAt: '2026-11-24T12:00:00.000Z',
        finishedAt: '2026-11-24T12:10:00.000Z',
        sent: 5,
        empty: 2,
        rejected: 1,
        deferred: 3,
        note: 'stopped: server unavailable',
      });
      assert.equal(runs[0]?.status, 'finished');
    });

    test('sendDigests on this store: delivered once each, a rejection bounces, a deferral is resent as claimed', async (t) => {
      const store = await fresh(t);
      const day = '2026-11-24';
      await store.papers.writeBatch(
        range(8).map((i) =>
          listedOn('2026-11-23', `2611.0${String(i).padStart(4, '0')}`, {
            title: i % 2 ? `Diffusion models study ${i}` : `Graph networks study ${i}`,
            abstract: i % 2 ? 'Denoising diffusion for images.' : 'Message passing on graphs.',
            importedUpvotes: 100 - i,
          }),
        ),
      );
      const now = new Date().toISOString();
      const subscribe = async (email: string, topics: DigestTopics = NO_TOPICS, confirm = true) => {
        const created = await store.subscriptions.createSubscription(
          { email, frequency: 'daily', topics, memberId: null },
          now,
        );
        return confirm
          ? store.subscriptions.updateSubscription(created.id, { status: 'active' }, now)
          : created;
      };
      const everything = await subscribe('all@example.org');
      const topical = await subscribe('topic@example.org', {
        queries: ['diffusion'],
        authors: [],
        organizations: [],
      });
      const unconfirmed = await subscribe('unconfirmed@example.org', NO_TOPICS, false);
      const rejected = await subscribe('rejected@example.org');
      const flaky = await subscribe('flaky@example.org');
      const delivered: RawMail[] = [];
      let flakyWorks = false;
      const mailer: Mailer = {
        mode: { kind: 'outbox', path: '/nonexistent' },
        concurrency: 2,
        async send(mail) {
          const raw = mail as RawMail;
          if (raw.to.startsWith('rejected')) throw new MailError('550 no such user', 'rejected', 550);
          if (raw.to.startsWith('flaky') && !flakyWorks)
            throw new MailError('451 try again later', 'temporary', 451);
          delivered.push(raw);
          return { messageId: raw.messageId };
        },
        async close() {},
      };
      const deps = { store, mailer, links: new MailLinks('a test secret', 'http://127.0.0.1:1') };
      const options = {
        frequency: 'daily' as const,
        day,
        from: 'Dailypapers <digest@example.org>',
        retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 2 },
      };
      const first = await sendDigests(deps, options);
      assert.deepEqual(
        [first.sent, first.rejected, first.deferred, first.empty, first.stopped],
        [2, 1, 1, 0, null],
      );
      assert.deepEqual(delivered.map((mail) => mail.to).sort(), ['all@example.org', 'topic@example.org']);
      const flakyClaim = await store.digests.getDigestSend(flaky.id, `daily:${day}`);
      assert.equal(flakyClaim?.status, 'pending');
      assert.equal(flakyClaim?.attempts, 1);
      assert.match(flakyClaim?.lastError ?? '', /451/);
      assert.equal((await store.subscriptions.getSubscription(rejected.id))?.status, 'bounced');
      assert.equal((await store.digests.getDigestSend(unconfirmed.id, `daily:${day}`)) ?? null, null);
      const topicalSend = await store.digests.getDigestSend(topical.id, `daily:${day}`);
      assert.ok((topicalSend?.paperIds.length ?? 0) > 0);
      assert.ok(
        (await store.papers.getPapers(topicalSend?.paperIds ?? [])).every((paper) =>
          /Diffusion/.test(paper.title),
        ),
        'a topic digest holds its matches',
      );
      assert.equal((await store.digests.getDigestSend(everything.id, `daily:${day}`))?.paperIds.length, 8);
      const [firstRun] = await store.digests.listDigestRuns(1);
      assert.equal(firstRun?.status, 'finished');
      assert.equal(firstRun?.sent, 2);
      assert.equal(firstRun?.deferred, 1);
      assert.deepEqual(
        await store.jobs.tryLock(
          'digest:daily',
          'probe',
          '2099-01-01T00:00:00.000Z',
          new Date().toISOString(),
        ),
        {
          acquired: true,
          holder: 'probe',
        },
        'the run released its lock',
      );
      await store.jobs.releaseLock('digest:daily', 'probe');

      flakyWorks = true;
      const second = await sendDigests(deps, options);
      assert.deepEqual([second.sent, second.rejected, second.deferred], [1, 0, 0]);
      const resent = delivered.at(-1);
      assert.equal(resent?.to, 'flaky@example.org');
      assert.equal(resent?.messageId, flakyClaim?.messageId, 'the same Message-ID as claimed');
      assert.equal((await store.digests.getDigestSend(flaky.id, `daily:${day}`))?.status, 'sent');
      const third = await sendDigests(deps, options);
      assert.equal(third.runId, null, 'nothing due: no run');
      assert.equal(delivered.length, 3, 'nobody got a digest twice');
      assert.equal((await store.digests.listDigestRuns(10)).length, 2);
    });
  });
});
