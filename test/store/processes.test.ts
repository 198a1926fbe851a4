// The Store contract for several processes and store instances on one database, run on every store kind (test/store/support/contract.ts).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { NO_TOPICS } from '../../src/domain/subscription.ts';
import { DuplicateError, type Store } from '../../src/store/store.ts';
import { listedOn, paperRecord } from '../helpers/records.ts';
import type { StoreDatabase } from '../helpers/stores.ts';
import { member, openSeveral, range, storeContract, writeFromAnotherProcess } from './support/contract.ts';

/** Runs SQL on the database directly, as an older version of the site would have left it. */
async function runSql(database: StoreDatabase, statements: string[]): Promise<void> {
  if (database.kind === 'sqlite') {
    const db = new Database(database.url);
    for (const statement of statements) db.exec(statement);
    db.close();
    return;
  }
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    for (const statement of statements) await client.query(statement);
  } finally {
    await client.end();
  }
}

storeContract({ areas: [], storeMethods: ['dataVersion', 'close'] }, ({ kind, freshDb, fresh }) => {
  describe('several processes on one database', () => {
    test('data survives closing and reopening; a reopened database is not migrated twice', async (t) => {
      const database = await freshDb(t);
      const first = await database.open();
      await first.papers.writeBatch([listedOn('2025-01-06', '2501.00001', { importedUpvotes: 3 })]);
      const ada = await member(first, 'ada');
      await first.engagement.setUpvote(ada.id, '2501.00001', true);
      await first.vectors.setEmbeddingModel('m', Buffer.from([1]));
      await first.close();
      const second = await database.open();
      assert.equal((await second.papers.getPaper('2501.00001'))?.upvotes, 4);
      assert.equal((await second.members.findMemberForLogin('ada'))?.id, ada.id);
      assert.equal((await second.vectors.getEmbeddingModel())?.model, 'm');
      await second.close();
    });

    test('a database from before authors were kept on the paper row gets them, in order, when migrated', async (t) => {
      const database = await freshDb(t);
      const authors = [
        { name: 'Émile "Mile" Borel', hfId: 'e1', hidden: false },
        { name: 'Ada Lovelace', hfId: null, hidden: true },
        { name: 'Alan Turing', hfId: null, hidden: false },
      ];
      const records = [paperRecord('2501.00001', { authors }), paperRecord('2501.00002', { authors: [] })];
      const first = await database.open();
      await first.papers.writeBatch(records);
      await first.close();
      const migration = kind === 'sqlite' ? '016-read-paths' : '015-authors-json';
      await runSql(database, [
        'ALTER TABLE papers DROP COLUMN authors_json',
        'DROP INDEX IF EXISTS papers_signals',
        `DELETE FROM schema_migrations WHERE name = '${migration}'`,
      ]);
      const second = await database.open();
      const papers = await second.papers.getPapers(['2501.00001', '2501.00002']);
      assert.deepEqual(
        papers.map((paper) => paper.authors),
        [authors, []],
      );
      assert.deepEqual(await second.papers.writeBatch(records), { inserted: 0, updated: 0, unchanged: 2 });
      await second.papers.writeBatch([paperRecord('2501.00001', { version: 2, authors: authors.slice(1) })]);
      assert.deepEqual((await second.papers.getPaper('2501.00001'))?.authors, authors.slice(1));
    });

    test('several instances opening a fresh database at once: it is migrated once and all of them work', async (t) => {
      const database = await freshDb(t);
      const stores = await Promise.all(range(3).map(() => database.open()));
      await stores[0]?.papers.writeBatch([paperRecord('2501.00001')]);
      for (const store of stores) assert.equal(await store.papers.countPapers(), 1);
    });

    test('several processes opening a fresh database at once each migrate it safely and write', async (t) => {
      const database = await freshDb(t);
      await Promise.all(range(3).map((i) => writeFromAnotherProcess(database, `2501.0000${i + 1}`)));
      const store = await database.open();
      assert.equal(await store.papers.countPapers(), 3);
    });

    test('dataVersion is stable while nothing is written and changes with every write by another instance', async (t) => {
      const database = await freshDb(t);
      const reader = await database.open();
      const writer = await database.open();
      await writer.papers.writeBatch([listedOn('2025-01-06', '2501.00001'), paperRecord('2501.00002')]);
      const ada = await member(writer, 'ada');
      const { id: commentId } = await writer.engagement.addComment({
        paperId: '2501.00001',
        memberId: ada.id,
        parentId: null,
        body: 'first',
      });
      const writes: Array<[string, () => Promise<unknown>]> = [
        ['writeBatch (new paper)', () => writer.papers.writeBatch([paperRecord('2501.00003')])],
        [
          'writeBatch (changed paper)',
          () => writer.papers.writeBatch([paperRecord('2501.00003', { githubStars: 5 })]),
        ],
        ['setUpvote', () => writer.engagement.setUpvote(ada.id, '2501.00001', true)],
        ['setUpvote (undo)', () => writer.engagement.setUpvote(ada.id, '2501.00001', false)],
        [
          'addComment',
          () =>
            writer.engagement.addComment({
              paperId: '2501.00001',
              memberId: ada.id,
              parentId: null,
              body: 'x',
            }),
        ],
        ['setCommentHidden', () => writer.engagement.setCommentHidden(commentId, true)],
        ['setPaperHidden', () => writer.papers.setPaperHidden('2501.00002', true)],
        [
          'listSubmission',
          () => writer.engagement.listSubmission('2501.00003', '2025-01-07', ada, '2025-01-07T10:00:00.000Z'),
        ],
        [
          'an import committed',
          async () => {
            const tx = await writer.papers.beginImport();
            await tx.writeBatch([paperRecord('2501.00004')]);
            await tx.commit();
          },
        ],
        ['createMember', () => member(writer, 'bob')],
      ];
      for (const [what, write] of writes) {
        const before = await reader.dataVersion();
        await reader.papers.listPapers({}, { sort: 'newest' });
        await writer.papers.getPaper('2501.00001');
        assert.equal(await reader.dataVersion(), before, `stable before ${what}`);
        await write();
        const after = await reader.dataVersion();
        assert.notEqual(after, before, `${what} through another instance changes dataVersion`);
        assert.equal(typeof after, 'string');
      }
      const own = await writer.dataVersion();
      await writer.papers.writeBatch([paperRecord('2501.00005')]);
      assert.notEqual(await writer.dataVersion(), own, 'a write through the same instance too');
      const mid = await reader.dataVersion();
      await writeFromAnotherProcess(database, '2501.00006');
      assert.notEqual(await reader.dataVersion(), mid, 'a write by another process changes it');
      assert.ok(await reader.papers.getPaper('2501.00006'), 'and is visible');
    });

    test('parallel upvotes from 200 members through several instances give exact counts', async (t) => {
      const database = await freshDb(t);
      const stores = await openSeveral(database, 4);
      const on = (i: number) => stores[i % stores.length] as Store;
      await on(0).papers.writeBatch([
        listedOn('2025-01-06', '2501.00001', { importedUpvotes: 7 }),
        listedOn('2025-01-06', '2501.00002'),
      ]);
      const members = await Promise.all(range(200).map((i) => member(on(i), `voter${i}`)));
      assert.equal(new Set(members.map((m) => m.id)).size, 200);
      assert.equal(await on(1).members.countMembers(), 200);
      const votes = await Promise.all(
        members.map((m, i) => on(i).engagement.setUpvote(m.id, '2501.00001', true)),
      );
      assert.ok(votes.every((vote) => vote.upvoted && vote.upvotes >= 8 && vote.upvotes <= 207));
      assert.equal(Math.max(...votes.map((vote) => vote.upvotes)), 207);
      for (const store of stores) assert.equal((await store.papers.getPaper('2501.00001'))?.upvotes, 207);

      // The same member voting twice at once through two instances counts once.
      await Promise.all(
        members
          .slice(0, 50)
          .flatMap((m, i) => [
            on(i).engagement.setUpvote(m.id, '2501.00002', true),
            on(i + 1).engagement.setUpvote(m.id, '2501.00002', true),
          ]),
      );
      assert.equal((await on(2).papers.getPaper('2501.00002'))?.upvotes, 50);

      // Undo by half, twice each at once, mixed with new votes on the other paper.
      await Promise.all([
        ...members
          .slice(0, 100)
          .flatMap((m, i) => [
            on(i).engagement.setUpvote(m.id, '2501.00001', false),
            on(i + 2).engagement.setUpvote(m.id, '2501.00001', false),
          ]),
        ...members.slice(50, 150).map((m, i) => on(i + 3).engagement.setUpvote(m.id, '2501.00002', true)),
      ]);
      for (const store of stores) {
        assert.equal((await store.papers.getPaper('2501.00001'))?.upvotes, 107);
        assert.equal((await store.papers.getPaper('2501.00002'))?.upvotes, 150);
      }
      assert.equal((await on(3).papers.searchSignals(['2501.00001'])).get('2501.00001')?.upvotes, 107);
      assert.deepEqual(
        [...(await on(0).engagement.upvotedBy(members[0]?.id ?? 0, ['2501.00001', '2501.00002']))],
        ['2501.00002'],
      );
      assert.deepEqual(
        [...(await on(0).engagement.upvotedBy(members[150]?.id ?? 0, ['2501.00001', '2501.00002']))],
        ['2501.00001'],
      );
    });

    test('races between instances: one lock owner, one setting, one member per name, one claim, exact rate limits', async (t) => {
      const database = await freshDb(t);
      const stores = await openSeveral(database, 4);
      const now = '2026-11-24T12:00:00.000Z';
      const expires = '2026-11-24T12:05:00.000Z';

      for (const name of ['digest:daily', 'digest:weekly', 'job:a', 'job:b', 'job:c']) {
        const results = await Promise.all(
          stores.map((store, i) => store.jobs.tryLock(name, `owner-${i}`, expires, now)),
        );
        const winners = results.filter((result) => result.acquired);
        assert.equal(winners.length, 1, `${name}: one owner, not ${JSON.stringify(results)}`);
        const holder = winners[0]?.holder;
        assert.ok(
          results.every((result) => result.holder === holder),
          `${name}: everyone sees ${holder}`,
        );
      }

      for (const key of ['link-secret', 'other-secret']) {
        const values = await Promise.all(
          stores.map((store, i) => store.jobs.ensureSetting(key, `value-${i}`)),
        );
        assert.equal(new Set(values).size, 1, `${key}: all agree, not ${values.join(', ')}`);
        assert.ok(values[0]?.startsWith('value-'));
        assert.equal(await stores[0]?.jobs.ensureSetting(key, 'later'), values[0]);
      }

      const created = await Promise.allSettled(
        stores.map((store, i) =>
          store.members.createMember({
            username: i % 2 ? 'Racer' : 'racer',
            email: `racer${i}@example.org`,
            passwordHash: 'h',
            role: 'member',
          }),
        ),
      );
      assert.equal(created.filter((result) => result.status === 'fulfilled').length, 1);
      for (const result of created) {
        if (result.status === 'rejected')
          assert.ok(
            result.reason instanceof DuplicateError && result.reason.field === 'username',
            String(result.reason),
          );
      }
      const emails = await Promise.allSettled(
        stores.map((store, i) =>
          store.members.createMember({
            username: `mail${i}`,
            email: i % 2 ? 'SAME@example.org' : 'same@example.org',
            passwordHash: 'h',
            role: 'member',
          }),
        ),
      );
      assert.equal(emails.filter((result) => result.status === 'fulfilled').length, 1);
      assert.ok(
        emails.every(
          (result) =>
            result.status === 'fulfilled' ||
            (result.reason instanceof DuplicateError && result.reason.field === 'email'),
        ),
      );

      const subscriptions = await Promise.allSettled(
        stores.map((store, i) =>
          store.subscriptions.createSubscription(
            {
              email: i % 2 ? 'Sub@Example.org' : 'sub@example.org',
              frequency: 'daily',
              topics: NO_TOPICS,
              memberId: null,
            },
            now,
          ),
        ),
      );
      const made = subscriptions.filter((result) => result.status === 'fulfilled');
      assert.equal(made.length, 1);
      assert.ok(
        subscriptions.every(
          (result) =>
            result.status === 'fulfilled' ||
            (result.reason instanceof DuplicateError && result.reason.field === 'email'),
        ),
      );
      const subscription = (made[0] as PromiseFulfilledResult<{ id: number }>).value;
      await stores[0]?.subscriptions.updateSubscription(subscription.id, { status: 'active' }, now);
      const period = 'daily:2026-11-24';
      await Promise.all(
        stores.map((store, i) =>
          store.digests.claimDigests(
            [
              {
                subscriptionId: subscription.id,
                period,
                status: 'pending',
                paperIds: [`p${i}`],
                messageId: `<m${i}@x>`,
              },
            ],
            now,
          ),
        ),
      );
      const claims = await Promise.all(
        stores.map((store) => store.digests.getDigestSend(subscription.id, period)),
      );
      assert.equal(
        new Set(claims.map((claim) => claim?.messageId)).size,
        1,
        'one claim wins, everyone sees it',
      );
      assert.deepEqual(claims[0]?.paperIds, [`p${claims[0]?.messageId?.slice(2, 3)}`]);
      const due = await stores[3]?.digests.dueSubscriptions({
        frequency: 'daily',
        period,
        afterId: 0,
        limit: 10,
      });
      assert.equal(due?.[0]?.claim?.messageId, claims[0]?.messageId);
      await Promise.all(
        stores.map((store) =>
          store.digests.recordDigestOutcome(
            { subscriptionId: subscription.id, period },
            { status: 'sent' },
            now,
          ),
        ),
      );
      const send = await stores[1]?.digests.getDigestSend(subscription.id, period);
      assert.equal(send?.status, 'sent');
      assert.equal(send?.attempts, 1, 'the first outcome counts; later ones find it sent');

      const at = new Date('2026-11-25T00:00:00Z');
      const hits = await Promise.all(
        range(40).map((i) => (stores[i % 4] as Store).members.hitRateLimit('subscribe:x', 10, 60, at)),
      );
      assert.equal(hits.filter((hit) => hit.allowed).length, 10, 'exactly the limit, across processes');
      assert.ok(hits.filter((hit) => !hit.allowed).every((hit) => hit.retryAfterSeconds === 60));
    });
  });
});
