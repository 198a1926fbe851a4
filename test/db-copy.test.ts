import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { parseSearchQuery } from '../src/domain/search-query.ts';
import { hashToken, startSession } from '../src/services/accounts.ts';
import { embedMissingPapers, trainEmbeddingModel } from '../src/services/embed-papers.ts';
import { loadSampleIfEmpty } from '../src/services/load-sample.ts';
import { hashPassword } from '../src/services/passwords.ts';
import { runCli } from './helpers/cli.ts';
import { freshDatabase, STORE_KINDS, skipStoreKind } from './helpers/stores.ts';
import { tempDir } from './helpers/temp.ts';

/** Every index and constraint of the site's tables (not pgvector's, which the copy fills last), as PostgreSQL would define them again. */
async function schemaOf(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ definition: string }>(
      `SELECT indexdef AS definition FROM pg_indexes WHERE schemaname = current_schema()
       UNION ALL
       SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
       FROM pg_constraint WHERE connamespace = current_schema()::regnamespace
       ORDER BY 1`,
    );
    return result.rows.map((row) => row.definition).filter((line) => !line.includes('paper_embeddings'));
  } finally {
    await client.end();
  }
}

for (const kind of STORE_KINDS.filter((storeKind) => storeKind !== 'sqlite')) {
  describe(`db copy into ${kind}`, { skip: skipStoreKind(kind) }, () => {
    test('db copy moves a whole SQLite site into PostgreSQL, verifiably, and can run again', async (t) => {
      const sqlitePath = join(tempDir(), 'site.db');
      const source = await freshDatabase('sqlite', t);
      const sqliteUrl = `sqlite:${source.url}`;
      const store = await source.open();
      await loadSampleIfEmpty(store);
      const model = await trainEmbeddingModel(store, { dimensions: 16 });
      await embedMissingPapers(store, model);
      await store.vectors.saveVectorPartitions(model.model, Buffer.from('partitions'));
      const [paper, other] = await store.papers.listPapers({}, { sort: 'newest', limit: 2 });
      assert.ok(paper && other);
      const alice = await store.members.createMember({
        username: 'alice',
        email: 'alice@example.org',
        passwordHash: await hashPassword('correct horse battery'),
        role: 'admin',
      });
      const token = await startSession(store, alice);
      await store.engagement.setUpvote(alice.id, paper.id, true);
      const comment = await store.engagement.addComment({
        paperId: paper.id,
        memberId: alice.id,
        parentId: null,
        body: 'Nice $x^2$',
      });
      await store.engagement.addComment({
        paperId: paper.id,
        memberId: alice.id,
        parentId: comment.id,
        body: 'Agreed',
      });
      await store.papers.setPaperHidden(other.id, true);
      const subscription = await store.subscriptions.createSubscription(
        {
          email: 'reader@example.org',
          frequency: 'daily',
          topics: { queries: ['reinforcement learning'], authors: [], organizations: [] },
          memberId: null,
        },
        '2026-11-20T10:00:00.000Z',
      );
      await store.subscriptions.updateSubscription(
        subscription.id,
        { status: 'active' },
        '2026-11-20T10:05:00.000Z',
      );
      await store.digests.claimDigests(
        [
          {
            subscriptionId: subscription.id,
            period: 'daily:2026-11-20',
            status: 'pending',
            paperIds: [paper.id],
            messageId: '<m@x>',
          },
        ],
        '2026-11-20T11:00:00.000Z',
      );
      await store.digests.recordDigestOutcome(
        { subscriptionId: subscription.id, period: 'daily:2026-11-20' },
        { status: 'sent' },
        '2026-11-20T11:00:01.000Z',
      );
      const secret = await store.jobs.ensureSetting('secret', 'the-site-secret-value');
      // COPY's text format gives these characters meaning: they must arrive as they were.
      const raw = new Database(source.url);
      raw
        .prepare('UPDATE comments SET body = ? WHERE id = ?')
        .run('tab\there, back\\slash \\N \\x00, CR\r LF\nend, é ∑ 🙂', comment.id);
      raw.close();
      const before = {
        papers: await store.papers.countPapers({}),
        paper: await store.papers.getPaper(paper.id),
        comments: await store.engagement.listComments(paper.id, { includeHidden: true }),
        send: await store.digests.getDigestSend(subscription.id, 'daily:2026-11-20'),
        subscription: await store.subscriptions.getSubscription(subscription.id),
        vectors: (await store.vectors.readVectors(model.model, 0, 100_000)).length,
        vector: await store.vectors.getVector(model.model, paper.id),
      };
      await store.close();

      const target = await freshDatabase(kind, t);
      await (await target.open()).close();
      const schemaBefore = await schemaOf(target.url);
      const copyCommand = (from: string, to: string) =>
        runCli(['db', 'copy', '--from', from, '--to', to], target.env);
      const first = await copyCommand(sqliteUrl, target.url);
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stdout, /papers\s+[\d,]+\s+[\d,]+\n/);
      assert.match(first.stdout, /every table has the same number of rows/);
      if (kind === 'postgres+pgvector') {
        assert.match(first.stderr, /pgvector: copying vectors: [\d,]+ in/);
        assert.match(
          first.stderr,
          /pgvector: building the HNSW index of [\d,]+ vectors: maintenance_work_mem/,
        );
        assert.match(first.stderr, /pgvector: building the HNSW index: [\d,]+ in/);
      } else assert.doesNotMatch(first.stderr, /pgvector/, 'PGVECTOR=off: no vectors for pgvector');
      assert.deepEqual(
        await schemaOf(target.url),
        schemaBefore,
        'the bulk load builds again every index and foreign key it set aside',
      );
      const rerun = await copyCommand(sqliteUrl, target.url);
      assert.equal(rerun.code, 0, `running it again is safe: ${rerun.stderr}`);
      assert.doesNotMatch(rerun.stderr, /HNSW/, 'the vectors are in pgvector already');

      const copy = await target.open();
      assert.equal(await copy.papers.countPapers({}), before.papers);
      assert.deepEqual(await copy.papers.getPaper(paper.id), before.paper);
      assert.equal((await copy.papers.getPaper(other.id))?.hidden, true);
      assert.deepEqual(
        await copy.engagement.listComments(paper.id, { includeHidden: true }),
        before.comments,
      );
      assert.deepEqual(await copy.digests.getDigestSend(subscription.id, 'daily:2026-11-20'), before.send);
      assert.deepEqual(await copy.subscriptions.getSubscription(subscription.id), before.subscription);
      assert.equal(
        (await copy.members.getSessionMember(hashToken(token), new Date().toISOString()))?.username,
        'alice',
      );
      assert.deepEqual([...(await copy.engagement.upvotedBy(alice.id, [paper.id]))], [paper.id]);
      assert.equal(await copy.jobs.ensureSetting('secret', 'another'), secret);
      assert.equal((await copy.vectors.getEmbeddingModel())?.model, model.model);
      assert.equal((await copy.vectors.readVectors(model.model, 0, 100_000)).length, before.vectors);
      assert.deepEqual(await copy.vectors.getVector(model.model, paper.id), before.vector);
      assert.deepEqual(await copy.vectors.getVectorPartitions(model.model), Buffer.from('partitions'));
      if (kind === 'postgres+pgvector') {
        assert.equal(copy.vectors.vectorSearch, 'pgvector');
        const vector = await copy.vectors.getVector(model.model, paper.id);
        assert.ok(vector);
        const everyVector = await copy.vectors.nearestVectors(model.model, vector, before.vectors + 10);
        assert.equal(everyVector.length, before.vectors, 'every vector is in the HNSW index');
        assert.equal(everyVector[0]?.id, paper.id);
      }
      const hits = await copy.papers.keywordSearch(parseSearchQuery(before.paper?.title ?? ''), 5);
      assert.equal(hits[0]?.id, paper.id, 'the keyword index covers the copied papers');
      // Ids go on after the copied ones.
      const bob = await copy.members.createMember({
        username: 'bob',
        email: 'bob@example.org',
        passwordHash: 'x',
        role: 'member',
      });
      assert.ok(bob.id > alice.id);
      const reply = await copy.engagement.addComment({
        paperId: paper.id,
        memberId: bob.id,
        parentId: null,
        body: 'Hello',
      });
      assert.ok(reply.id > comment.id);
      await copy.close();

      const again = await copyCommand(sqliteUrl, target.url);
      assert.notEqual(again.code, 0, 'the copy now has rows the SQLite site does not: reported, not hidden');
      assert.match(again.stdout, /users\s+1\s+2\s+← differs/);

      const wrongWay = await copyCommand(target.url, sqliteUrl);
      assert.notEqual(wrongWay.code, 0);
      assert.match(wrongWay.stderr, /--from: give a SQLite database/);
      const missing = await copyCommand(`sqlite:${sqlitePath}`, target.url);
      assert.notEqual(missing.code, 0);
      assert.match(missing.stderr, /no SQLite database at/);
    });
  });
}
