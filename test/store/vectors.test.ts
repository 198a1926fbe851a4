// The Store contract for embeddings and vectors, run on every store kind (test/store/support/contract.ts).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import pg from 'pg';
import { withHeader } from '../../src/embeddings/model-format.ts';
import { openPostgresStore } from '../../src/store/postgres/index.ts';
import { paperRecord } from '../helpers/records.ts';
import { range, storeContract } from './support/contract.ts';

storeContract({ areas: ['vectors'] }, ({ kind, freshDb, fresh }) => {
  describe('embeddings', () => {
    test('model, texts to embed, vectors read by watermark; stale on text change; a new model starts over', async (t) => {
      const store = await fresh(t);
      assert.equal(await store.vectors.getEmbeddingModel(), null);
      assert.equal(await store.vectors.embeddingModelName(), null);
      const ids = ['2501.00001', '2501.00002', '2501.00003', '2501.00004', '2501.00005'];
      await store.papers.writeBatch(
        ids.map((id) => paperRecord(id, { title: `Title ${id}`, abstract: `About ${id}.` })),
      );
      const texts: string[] = [];
      for (let after = 0; ; ) {
        const page = await store.vectors.listPaperTexts(after, 2);
        if (page.length === 0) break;
        texts.push(...page.map((paper) => paper.id));
        after = page[page.length - 1]?.position ?? after;
      }
      assert.deepEqual([...texts].sort(), ids, 'every paper once');
      assert.deepEqual(
        (await store.vectors.listPaperTexts(0, 100)).map((paper) => paper.id),
        texts,
        'in a stable order',
      );
      const [firstText, secondText] = await store.vectors.listPaperTexts(0, 2);
      assert.ok(
        firstText && secondText && firstText.position > 0 && secondText.position > firstText.position,
      );
      assert.deepEqual(
        (await store.vectors.listPaperTexts(firstText.position, 1)).map((paper) => paper.id),
        [secondText.id],
        'a page starts after the position given',
      );
      assert.deepEqual((await store.vectors.listPaperTexts(0, 1))[0], {
        id: texts[0],
        position: firstText.position,
        title: `Title ${texts[0]}`,
        abstract: `About ${texts[0]}.`,
      });

      const data = Buffer.from([0, 1, 2, 255, 254, 0, 10]);
      await store.vectors.setEmbeddingModel('lsa-1', data);
      const model = await store.vectors.getEmbeddingModel();
      assert.equal(model?.model, 'lsa-1');
      assert.equal(await store.vectors.embeddingModelName(), 'lsa-1');
      assert.ok(model && Buffer.isBuffer(model.data), 'the model comes back as a Buffer');
      assert.deepEqual([...(model?.data ?? [])], [...data]);

      assert.equal(await store.vectors.countPapersToEmbed('lsa-1'), 5);
      assert.deepEqual(
        (await store.vectors.papersToEmbed('lsa-1', 0, 3)).map((paper) => paper.id),
        ids.slice(0, 3),
        'oldest first',
      );
      const [oldest] = await store.vectors.papersToEmbed('lsa-1', 0, 1);
      assert.deepEqual(
        (await store.vectors.papersToEmbed('lsa-1', oldest?.position ?? 0, 10)).map((paper) => paper.id),
        ids.slice(1),
        'after a position',
      );
      assert.deepEqual(oldest, {
        id: '2501.00001',
        position: oldest?.position,
        title: 'Title 2501.00001',
        abstract: 'About 2501.00001.',
      });
      const vector = (seed: number) =>
        Float32Array.from({ length: 64 }, (_, i) =>
          i === 0 ? 1e-30 : i === 1 ? -0.5 : i === 2 ? 0 : Math.sin(seed * 7 + i),
        );
      await store.vectors.saveVectors(
        'lsa-1',
        ids.slice(0, 3).map((id, i) => ({ id, vector: vector(i) })),
      );
      assert.equal(await store.vectors.countPapersToEmbed('lsa-1'), 2);
      assert.deepEqual(
        (await store.vectors.papersToEmbed('lsa-1', 0, 10)).map((paper) => paper.id),
        ids.slice(3),
      );
      const first = await store.vectors.readVectors('lsa-1', 0, 100);
      assert.deepEqual(
        first.map((stored) => stored.id),
        ids.slice(0, 3),
        'in write order',
      );
      first.forEach((stored, i) => {
        assert.ok(stored.vector instanceof Float32Array);
        assert.deepEqual([...stored.vector], [...vector(i)], 'vectors round-trip bit for bit');
      });
      const seqs = first.map((stored) => stored.seq);
      assert.deepEqual(
        [...seqs].sort((a, b) => a - b),
        seqs,
        'seq grows with every write',
      );
      assert.equal(new Set(seqs).size, 3);
      assert.deepEqual(
        (await store.vectors.readVectors('lsa-1', 0, 2)).map((stored) => stored.id),
        ids.slice(0, 2),
        'limited',
      );
      const watermark = seqs[2] ?? 0;
      assert.deepEqual(await store.vectors.readVectors('lsa-1', watermark, 100), [], 'nothing new yet');
      assert.deepEqual(await store.vectors.readVectors('other-model', 0, 100), []);

      await store.vectors.saveVectors('lsa-1', [
        { id: ids[3] as string, vector: vector(3) },
        { id: ids[0] as string, vector: vector(10) },
      ]);
      const later = await store.vectors.readVectors('lsa-1', watermark, 100);
      assert.deepEqual(
        later.map((stored) => stored.id),
        [ids[3], ids[0]],
        'a reader keeps up from its last seq; a re-embedded paper comes again',
      );
      assert.ok(later.every((stored) => stored.seq > watermark));
      assert.deepEqual([...(later[1]?.vector ?? [])], [...vector(10)]);
      assert.deepEqual(
        (await store.vectors.readVectors('lsa-1', 0, 100)).map((stored) => stored.id).sort(),
        ids.slice(0, 4),
        'one vector per paper',
      );

      // A changed text makes a vector stale; other changes do not.
      await store.papers.writeBatch([
        paperRecord(ids[1] as string, {
          title: `Title ${ids[1]}`,
          abstract: `About ${ids[1]}.`,
          githubStars: 50,
          importedUpvotes: 4,
        }),
        paperRecord(ids[2] as string, { version: 2, title: 'A new title', abstract: `About ${ids[2]}.` }),
      ]);
      assert.deepEqual((await store.vectors.papersToEmbed('lsa-1', 0, 10)).map((paper) => paper.id).sort(), [
        ids[2],
        ids[4],
      ]);
      assert.equal(await store.vectors.countPapersToEmbed('lsa-1'), 2);
      assert.ok(
        !(await store.vectors.readVectors('lsa-1', 0, 100)).some((stored) => stored.id === ids[2]),
        'the stale vector is gone',
      );
      await store.papers.writeBatch([
        paperRecord(ids[3] as string, {
          version: 2,
          title: `Title ${ids[3]}`,
          abstract: 'A new abstract.',
        }),
      ]);
      assert.equal(await store.vectors.countPapersToEmbed('lsa-1'), 3);

      await store.vectors.saveVectorPartitions('lsa-1', Buffer.from('partitions'));
      await store.vectors.setEmbeddingModel('lsa-1', Buffer.from([9]));
      assert.equal(
        (await store.vectors.readVectors('lsa-1', 0, 100)).length,
        2,
        'installing the same model again keeps its vectors',
      );
      assert.deepEqual([...((await store.vectors.getEmbeddingModel())?.data ?? [])], [9]);

      await store.vectors.setEmbeddingModel('lsa-2', Buffer.from([7, 7]));
      assert.equal((await store.vectors.getEmbeddingModel())?.model, 'lsa-2');
      assert.equal(await store.vectors.embeddingModelName(), 'lsa-2');
      assert.deepEqual(
        await store.vectors.readVectors('lsa-1', 0, 100),
        [],
        'the old model’s vectors are dropped',
      );
      assert.equal(await store.vectors.getVectorPartitions('lsa-1'), null, 'and its partitions');
      assert.equal(await store.vectors.countPapersToEmbed('lsa-2'), 5);
      await store.vectors.saveVectors('lsa-2', [{ id: ids[4] as string, vector: vector(4) }]);
      const newer = await store.vectors.readVectors('lsa-2', 0, 100);
      assert.deepEqual(
        newer.map((stored) => stored.id),
        [ids[4]],
      );
    });

    test('a seq is never handed out twice, even after the newest vector went stale', async (t) => {
      const store = await fresh(t);
      const vector = (seed: number) => Float32Array.from({ length: 8 }, (_, i) => Math.sin(seed + i));
      await store.papers.writeBatch([paperRecord('2501.00001'), paperRecord('2501.00002')]);
      await store.vectors.setEmbeddingModel('m', Buffer.from('model'));
      await store.vectors.saveVectors('m', [{ id: '2501.00001', vector: vector(1) }]);
      await store.vectors.saveVectors('m', [{ id: '2501.00002', vector: vector(2) }]);
      const watermark = Math.max(
        ...(await store.vectors.readVectors('m', 0, 10)).map((stored) => stored.seq),
      );
      await store.papers.writeBatch([
        paperRecord('2501.00002', { version: 2, title: 'Rewritten', abstract: 'New.' }),
      ]);
      await store.vectors.saveVectors('m', [{ id: '2501.00002', vector: vector(3) }]);
      assert.deepEqual(
        (await store.vectors.readVectors('m', watermark, 10)).map((stored) => stored.id),
        ['2501.00002'],
        'a reader past the old seq still gets the re-embedded paper',
      );
    });

    test('vector partitions: saved per model, replaced, dropped with their model', async (t) => {
      const store = await fresh(t);
      assert.equal(await store.vectors.getVectorPartitions('m1'), null);
      await store.vectors.setEmbeddingModel('m1', Buffer.from('model'));
      const big = Buffer.alloc(300_000, 0);
      for (let i = 0; i < big.length; i++) big[i] = (i * 31) % 256;
      await store.vectors.saveVectorPartitions('m1', big);
      const stored = await store.vectors.getVectorPartitions('m1');
      assert.ok(stored && Buffer.isBuffer(stored));
      assert.ok(stored.equals(big), 'bytes round-trip');
      await store.vectors.saveVectorPartitions('m1', Buffer.from([1, 2, 3]));
      assert.deepEqual([...((await store.vectors.getVectorPartitions('m1')) ?? [])], [1, 2, 3], 'replaced');
      assert.equal(await store.vectors.getVectorPartitions('m2'), null);
      await store.vectors.setEmbeddingModel('m2', Buffer.from('model 2'));
      assert.equal(await store.vectors.getVectorPartitions('m1'), null);
      await store.vectors.saveVectorPartitions('m2', Buffer.from([4]));
      assert.deepEqual([...((await store.vectors.getVectorPartitions('m2')) ?? [])], [4]);
    });

    test('parts of a model in training are kept for one run at a time, and dropped', async (t) => {
      const store = await fresh(t);
      assert.deepEqual(await store.vectors.trainingParts('run-a'), new Map());
      await store.vectors.saveTrainingPart('run-a', -1, Buffer.from([1, 2]));
      await store.vectors.saveTrainingPart('run-a', 0, Buffer.from([3]));
      await store.vectors.saveTrainingPart('run-a', 0, Buffer.from([4]));
      const parts = await store.vectors.trainingParts('run-a');
      assert.deepEqual(
        [...parts].map(([part, data]) => [part, [...data]]).sort(),
        [
          [-1, [1, 2]],
          [0, [4]],
        ],
        'a part saved again is replaced',
      );
      await store.vectors.saveTrainingPart('run-b', 0, Buffer.from([5]));
      assert.deepEqual(
        await store.vectors.trainingParts('run-a'),
        new Map(),
        'another run drops the older one',
      );
      assert.equal((await store.vectors.trainingParts('run-b')).size, 1);
      await store.vectors.dropTrainingParts();
      assert.deepEqual(await store.vectors.trainingParts('run-b'), new Map());
    });

    test('nearest vectors by cosine, best first: exclusion, stale vectors, a new model of another dimension', async (t) => {
      const store = await fresh(t);
      assert.equal(store.vectors.vectorSearch, kind === 'postgres+pgvector' ? 'pgvector' : 'in-process');
      const ids = range(30).map((i) => `2501.${String(i + 1).padStart(5, '0')}`);
      await store.papers.writeBatch(ids.map((id) => paperRecord(id)));
      // Paper i points at i × 6 degrees on a circle, so its neighbours are known.
      const at = (degrees: number, dimensions = 3) => {
        const vector = new Float32Array(dimensions);
        vector[0] = Math.cos((degrees * Math.PI) / 180);
        vector[1] = Math.sin((degrees * Math.PI) / 180);
        return vector;
      };
      const nearestIds = async (model: string, vector: Float32Array, limit: number, exclude?: string) =>
        (await store.vectors.nearestVectors(model, vector, limit, exclude)).map((hit) => hit.id);
      await store.vectors.setEmbeddingModel('m3', Buffer.from('model'));
      await store.vectors.saveVectors(
        'm3',
        ids.map((id, i) => ({ id, vector: at(i * 6) })),
      );
      await store.vectors.indexVectors();
      const nearest = await store.vectors.nearestVectors('m3', at(61), 3);
      assert.deepEqual(
        nearest.map((hit) => hit.id),
        [ids[10], ids[11], ids[9]],
      );
      assert.ok(Math.abs((nearest[0]?.score ?? 0) - Math.cos(Math.PI / 180)) < 1e-5, 'the cosine');
      assert.deepEqual(await nearestIds('m3', at(61), 2, ids[10]), [ids[11], ids[9]], 'one excluded');
      assert.deepEqual(await nearestIds('m3', at(61), 0), []);
      assert.deepEqual(await nearestIds('other', at(61), 3), [], 'only the model asked for');
      assert.deepEqual([...((await store.vectors.getVector('m3', ids[2] as string)) ?? [])], [...at(12)]);
      assert.equal(await store.vectors.getVector('m3', 'nope'), null);
      assert.equal(await store.vectors.getVector('other', ids[2] as string), null);
      const some = await store.vectors.getVectors('m3', [ids[2] as string, 'nope', ids[5] as string]);
      assert.deepEqual([...some.keys()].sort(), [ids[2], ids[5]], 'the papers that have a vector');
      assert.deepEqual([...(some.get(ids[5] as string) ?? [])], [...at(30)]);
      assert.equal((await store.vectors.getVectors('other', [ids[2] as string])).size, 0, 'only that model');
      assert.equal((await store.vectors.getVectors('m3', [])).size, 0);

      await store.papers.writeBatch([paperRecord(ids[10] as string, { version: 2, abstract: 'Changed.' })]);
      assert.deepEqual(await nearestIds('m3', at(61), 2), [ids[11], ids[9]], 'a stale vector is not found');

      await store.vectors.setEmbeddingModel('m5', Buffer.from('model 5'));
      assert.deepEqual(await nearestIds('m3', at(61), 3), [], 'the old model’s vectors are gone');
      await store.vectors.saveVectors(
        'm5',
        ids.map((id, i) => ({ id, vector: at(i * 6, 5) })),
      );
      await store.vectors.indexVectors();
      assert.deepEqual(await nearestIds('m5', at(61, 5), 2), [ids[10], ids[11]], 'five dimensions now');
      assert.deepEqual(await nearestIds('m5', at(61), 2), [], 'a query of another dimension finds nothing');
    });

    test('a model of groups: one index per group, a query looked for in its group only, refilled from an older layout', {
      skip: kind !== 'postgres+pgvector' && 'only PostgreSQL with pgvector searches groups itself',
    }, async (t) => {
      const database = await freshDb();
      const store = await database.open();
      const ids = range(40).map((i) => `2501.${String(i + 1).padStart(5, '0')}`);
      await store.papers.writeBatch(ids.map((id) => paperRecord(id)));
      // A clustered model's stored form as far as the store reads it: two groups told apart by the first two values.
      const centroids = Buffer.from(Float32Array.from([1, 0, 0, 1]).buffer);
      const model = Buffer.concat(
        withHeader(
          { kind: 'clustered-lsa', clusters: 2, globalDimensions: 2, localWeight: 0.8, parts: [] },
          centroids,
        ),
      );
      await store.vectors.setEmbeddingModel('g', model);
      // Even papers in group 0, odd in group 1; within a group, paper i points at i × 4 degrees in its own plane.
      const at = (i: number) => {
        const degrees = (i * 4 * Math.PI) / 180;
        return i % 2 === 0
          ? Float32Array.from([0.5, 0.1, Math.cos(degrees), Math.sin(degrees)])
          : Float32Array.from([0.1, 0.5, Math.cos(degrees), Math.sin(degrees)]);
      };
      // All but the last paper, as `index --embed` saves a new model's vectors: a batch at a time, no index yet.
      await store.vectors.saveVectors(
        'g',
        ids.slice(0, -1).map((id, i) => ({ id, vector: at(i) })),
      );
      const pool = new pg.Pool({ connectionString: database.url, max: 1 });
      // Ended before the database is dropped, which would end its connection from the server's side.
      t.after(async () => {
        await pool.end();
        await database.release();
      });
      const indexes = async () =>
        (
          await pool.query<{ indexname: string }>(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'paper_embeddings' AND indexname LIKE '%cosine%' ORDER BY 1",
          )
        ).rows.map((row) => row.indexname);
      assert.deepEqual(await indexes(), [], 'a new model’s vectors wait for indexVectors');
      const steps: string[] = [];
      await store.vectors.indexVectors({
        onProgress: (step, done, total) => steps.push(`${step} ${done}/${total}`),
      });
      assert.deepEqual(await indexes(), ['paper_embeddings_cosine_4_g0', 'paper_embeddings_cosine_4_g1']);
      assert.deepEqual(
        [steps[0], steps.at(-1)],
        ['copying vectors 39/39', 'building the HNSW index 39/39'],
        'all of them copied, then indexed once',
      );
      // Later vectors of the same model go through the indexes at once.
      await store.vectors.saveVectors('g', [{ id: ids[39] as string, vector: at(39) }]);
      assert.deepEqual(
        (await store.vectors.nearestVectors('g', at(39), 1, undefined, 1)).map((hit) => hit.id),
        [ids[39]],
      );

      // Group 0 by its first values, at 81 degrees in the plane: papers 20 (1 degree away), 22, 18; in group 1, 21, 19, 23.
      const query = Float32Array.from([
        0.5,
        0.1,
        Math.cos((81 * Math.PI) / 180),
        Math.sin((81 * Math.PI) / 180),
      ]);
      const inGroupOne = await store.vectors.nearestVectors('g', query, 3, undefined, 1);
      assert.deepEqual(
        inGroupOne.map((hit) => [hit.id, hit.group]),
        [
          [ids[21], 1],
          [ids[19], 1],
          [ids[23], 1],
        ],
        'group 1 only, though group 0 has the nearer papers',
      );
      const ownGroup = await store.vectors.nearestVectors('g', query, 3, ids[20]);
      assert.deepEqual(
        ownGroup.map((hit) => [hit.id, hit.group]),
        [
          [ids[22], 0],
          [ids[18], 0],
          [ids[24], 0],
        ],
        'by default the vector’s own group (a paper’s similar papers)',
      );

      // Vectors indexed before groups were (one index, no group on the rows) are copied in again with theirs.
      await pool.query('DROP INDEX paper_embeddings_cosine_4_g0, paper_embeddings_cosine_4_g1');
      await pool.query('UPDATE paper_embeddings SET grp = NULL');
      await pool.query(
        'CREATE INDEX paper_embeddings_cosine_4 ON paper_embeddings USING hnsw ((embedding::vector(4)) vector_cosine_ops)',
      );
      const reopened = await database.open();
      assert.deepEqual(await indexes(), ['paper_embeddings_cosine_4_g0', 'paper_embeddings_cosine_4_g1']);
      assert.deepEqual(
        (await reopened.vectors.nearestVectors('g', query, 3, undefined, 1)).map((hit) => hit.id),
        inGroupOne.map((hit) => hit.id),
      );
      const { rows } = await pool.query<{ rows: string }>(
        'SELECT count(*) AS rows FROM paper_embeddings WHERE grp IS NOT NULL',
      );
      assert.equal(Number(rows[0]?.rows), 40, 'every vector back, with its group');

      // A build stopped halfway (here the second index's name is taken) keeps the vectors and the index it made;
      // the next start makes only the rest.
      await pool.query('DROP INDEX paper_embeddings_cosine_4_g0, paper_embeddings_cosine_4_g1');
      await pool.query('DELETE FROM paper_embeddings');
      await pool.query('CREATE TABLE paper_embeddings_cosine_4_g1 (taken int)');
      await assert.rejects(database.open(), /already exists/);
      assert.deepEqual(await indexes(), ['paper_embeddings_cosine_4_g0'], 'the index built is kept');
      const kept = await pool.query<{ rows: string }>('SELECT count(*) AS rows FROM paper_embeddings');
      assert.equal(Number(kept.rows[0]?.rows), 40, 'the vectors copied are kept');
      const indexOid = async (name: string) =>
        (await pool.query<{ oid: number }>('SELECT $1::regclass::oid AS oid', [name])).rows[0]?.oid;
      const firstBuilt = await indexOid('paper_embeddings_cosine_4_g0');
      // Meanwhile a group without its index finds nothing rather than scanning the whole table. (A query of another
      // dimension makes the open store look its indexes up again.)
      await reopened.vectors.nearestVectors('g', Float32Array.from([1, 0, 0]), 1);
      assert.deepEqual(
        await reopened.vectors.nearestVectors('g', query, 3, undefined, 1),
        [],
        'no index yet',
      );
      assert.equal((await reopened.vectors.nearestVectors('g', query, 3, undefined, 0)).length, 3, 'indexed');
      await pool.query('DROP TABLE paper_embeddings_cosine_4_g1');
      const resumedSteps: string[] = [];
      const resumed = await openPostgresStore(database.url, {
        vectorFill: { onProgress: (step, done, total) => resumedSteps.push(`${step} ${done}/${total}`) },
      });
      t.after(() => resumed.close());
      assert.deepEqual(await indexes(), ['paper_embeddings_cosine_4_g0', 'paper_embeddings_cosine_4_g1']);
      assert.equal(
        await indexOid('paper_embeddings_cosine_4_g0'),
        firstBuilt,
        'the first index not made again',
      );
      assert.deepEqual(resumedSteps.at(-1), 'building the HNSW index 20/20', 'only group 1 built: 20 papers');
      assert.deepEqual(
        (await resumed.vectors.nearestVectors('g', query, 3, undefined, 1)).map((hit) => hit.id),
        inGroupOne.map((hit) => hit.id),
      );

      // A model without groups replaces it: one index again.
      await reopened.vectors.setEmbeddingModel('plain', Buffer.from('model'));
      await reopened.vectors.saveVectors(
        'plain',
        ids.map((id, i) => ({ id, vector: at(i) })),
      );
      assert.deepEqual(await indexes(), []);
      await reopened.vectors.indexVectors();
      assert.deepEqual(await indexes(), ['paper_embeddings_cosine_4']);
      const plain = await reopened.vectors.nearestVectors('plain', query, 2, ids[20], 1);
      assert.deepEqual(
        plain.map((hit) => [hit.id, hit.group]),
        [
          [ids[22], undefined],
          [ids[18], undefined],
        ],
        'no groups: every paper, the group asked for ignored',
      );
    });

    test('vectors written without pgvector are searched once a process with it opens the database', {
      skip: kind !== 'postgres+pgvector' && 'only PostgreSQL with pgvector keeps vectors of its own',
    }, async (t) => {
      const database = await freshDb(t);
      const without = await openPostgresStore(database.url, { pgvector: false });
      try {
        assert.equal(without.vectors.vectorSearch, 'in-process');
        await without.papers.writeBatch([paperRecord('2501.00001'), paperRecord('2501.00002')]);
        await without.vectors.setEmbeddingModel('m', Buffer.from('model'));
        await without.vectors.saveVectors('m', [
          { id: '2501.00001', vector: Float32Array.from([1, 0, 0, 0]) },
          { id: '2501.00002', vector: Float32Array.from([0, 1, 0, 0]) },
        ]);
      } finally {
        await without.close();
      }
      const store = await database.open();
      assert.equal(store.vectors.vectorSearch, 'pgvector');
      const hits = await store.vectors.nearestVectors('m', Float32Array.from([0.1, 1, 0, 0]), 5);
      assert.deepEqual(
        hits.map((hit) => hit.id),
        ['2501.00002', '2501.00001'],
      );

      // A vector replaced by a process without pgvector is not found where it was any more.
      const again = await openPostgresStore(database.url, { pgvector: false });
      try {
        await again.vectors.saveVectors('m', [{ id: '2501.00002', vector: Float32Array.from([0, 0, 1, 0]) }]);
      } finally {
        await again.close();
      }
      assert.deepEqual(
        (await store.vectors.nearestVectors('m', Float32Array.from([0.1, 1, 0, 0]), 5)).map((hit) => hit.id),
        ['2501.00001'],
      );
      await store.vectors.saveVectors('m', [{ id: '2501.00002', vector: Float32Array.from([0, 1, 0, 0]) }]);
      assert.deepEqual(
        (await store.vectors.nearestVectors('m', Float32Array.from([0.1, 1, 0, 0]), 5)).map((hit) => hit.id),
        ['2501.00002', '2501.00001'],
        'saved again through pgvector: found again',
      );
    });
  });
});
