import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { parseSearchQuery } from '../src/domain/search-query.ts';
import { LsaModel, trainLsa } from '../src/embeddings/lsa-model.ts';
import { DatabaseVectorSearch } from '../src/search-index/database-vector-search.ts';
import { openSemanticSearch } from '../src/search-index/open-semantic-search.ts';
import { SemanticIndex } from '../src/search-index/semantic-index.ts';
import { VectorArena } from '../src/search-index/vector-arena.ts';
import { VectorIndex } from '../src/search-index/vector-index.ts';
import { embedMissingPapers, trainEmbeddingModel } from '../src/services/embed-papers.ts';
import { searchPapers } from '../src/services/search-papers.ts';
import { similarPaperLinks, similarPapers } from '../src/services/similar-papers.ts';
import { openPostgresStore } from '../src/store/postgres/index.ts';
import { openSqliteStore } from '../src/store/sqlite/index.ts';
import type { Store } from '../src/store/store.ts';
import { paperRecord } from './helpers/records.ts';
import { freshDatabase, freshStore, STORE_KINDS, skipStoreKind } from './helpers/stores.ts';
import { tempDir } from './helpers/temp.ts';

const ROBOTS = ['robot', 'grasping', 'manipulation', 'gripper', 'arm', 'tactile', 'embodied', 'dexterous'];
const PROTEINS = ['protein', 'folding', 'molecule', 'binding', 'enzyme', 'structure', 'amino', 'docking'];

/** A deterministic corpus of two topics that share no words. */
function corpus(): Array<{ id: string; title: string; abstract: string; topic: 'robots' | 'proteins' }> {
  const papers = [];
  for (let i = 0; i < 60; i++) {
    const topic = i % 2 === 0 ? 'robots' : 'proteins';
    const words = topic === 'robots' ? ROBOTS : PROTEINS;
    const pick = (n: number) =>
      Array.from({ length: n }, (_, j) => words[(i * 7 + j * 3) % words.length]).join(' ');
    papers.push({
      id: `2501.${String(10000 + i)}`,
      title: `${pick(2)} study ${i}`,
      abstract: `${pick(4)}.`,
      topic,
    } as const);
  }
  return papers;
}

/** Deterministic numbers in [-0.5, 0.5) (Park–Miller), so the vector tests are the same on every run. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 16807) % 2147483647;
    return state / 2147483647 - 0.5;
  };
}

function unitVector(dimensions: number, random: () => number): Float32Array {
  const vector = Float32Array.from({ length: dimensions }, random);
  const norm = Math.hypot(...vector);
  return vector.map((x) => x / norm);
}

test('LSA puts papers of one topic together, deterministically, and survives serialization', () => {
  const papers = corpus();
  const model = trainLsa(
    papers.map((paper) => `${paper.title}\n${paper.abstract}`),
    {
      dimensions: 8,
      minDocuments: 2,
      powerIterations: 2,
    },
  );
  const again = trainLsa(
    papers.map((paper) => `${paper.title}\n${paper.abstract}`),
    {
      dimensions: 8,
      minDocuments: 2,
      powerIterations: 2,
    },
  );
  assert.equal(model.model, again.model, 'same corpus, same model id');
  const index = new VectorIndex(model.dimensions);
  for (const paper of papers) index.add(paper.id, model.embedOne(`${paper.title}\n${paper.abstract}`));
  const query = model.embedOne('dexterous gripper with tactile sensing');
  const norm = Math.sqrt(query.reduce((sum, x) => sum + x * x, 0));
  assert.ok(Math.abs(norm - 1) < 1e-5, 'unit vectors');
  const nearest = index.search(query, 10).map((hit) => papers.find((paper) => paper.id === hit.id)?.topic);
  assert.deepEqual(new Set(nearest), new Set(['robots']));

  const restored = LsaModel.deserialize(model.serialize(), model.model);
  assert.deepEqual([...restored.embedOne('enzyme binding')], [...model.embedOne('enzyme binding')]);
});

test('the vector index is exact: same top k as sorting every score; replace, remove and exclude work', () => {
  const index = new VectorIndex(4);
  const vectors = new Map<string, Float32Array>();
  const random = seededRandom(7);
  for (let i = 0; i < 500; i++) {
    const vector = Float32Array.from({ length: 4 }, random);
    vectors.set(`p${i}`, vector);
    index.add(`p${i}`, vector);
  }
  const query = Float32Array.from([0.5, -0.2, 0.1, 0.8]);
  const dot = (v: Float32Array) => v.reduce((sum, x, d) => sum + x * (query[d] ?? 0), 0);
  const expected = [...vectors]
    .sort((a, b) => dot(b[1]) - dot(a[1]))
    .slice(0, 10)
    .map(([id]) => id);
  assert.deepEqual(
    index.search(query, 10).map((hit) => hit.id),
    expected,
  );
  const top = expected[0] ?? '';
  assert.ok(!index.search(query, 10, { exclude: top }).some((hit) => hit.id === top));
  index.remove(top);
  assert.equal(index.size, 499);
  assert.equal(index.search(query, 1)[0]?.id, expected[1]);
  index.add('p1', Float32Array.from([0.5, -0.2, 0.1, 0.8]));
  assert.equal(index.search(query, 1)[0]?.id, 'p1');
  assert.throws(() => index.add('bad', new Float32Array(3)), /3 dimensions/);
});

for (const kind of STORE_KINDS) {
  describe(`semantic search on ${kind}`, { skip: skipStoreKind(kind) }, () => {
    const backend = kind === 'postgres+pgvector' ? 'pgvector' : 'in-process';
    let store: Store;
    before(async () => {
      store = await freshStore(kind);
      await store.papers.writeBatch(
        corpus().map((paper) =>
          paperRecord(paper.id, {
            title: paper.title,
            abstract: paper.abstract,
            categories: [paper.topic === 'robots' ? 'cs.RO' : 'q-bio.BM'],
          }),
        ),
      );
    });

    test('vectors follow the model and the text: a new model or a changed abstract queues a paper again', async () => {
      const model = await trainEmbeddingModel(store, { dimensions: 8, minDocuments: 2 });
      assert.equal(await store.vectors.countPapersToEmbed(model.model), 60);
      assert.equal(await embedMissingPapers(store, model), 60);
      assert.equal(await store.vectors.countPapersToEmbed(model.model), 0);
      assert.equal(await embedMissingPapers(store, model), 0, 'resumable: nothing twice');

      const semantic = await openSemanticSearch(store);
      assert.ok(semantic);
      assert.equal(semantic.backend, backend);
      if (semantic instanceof SemanticIndex) assert.equal(semantic.size, 60);
      // Asked once before the change, so a kept answer would show here after it.
      assert.ok(
        (await semantic.similar('2501.10000', 5)).every((hit) => Number(hit.id.slice(-2)) % 2 === 0),
        'among the robot papers first',
      );
      await store.papers.writeBatch([
        paperRecord('2501.10000', { version: 2, title: 'protein folding', abstract: 'enzyme docking.' }),
      ]);
      assert.deepEqual(
        (await store.vectors.papersToEmbed(model.model, 0, 10)).map((paper) => paper.id),
        ['2501.10000'],
      );
      await embedMissingPapers(store, model);
      if (semantic instanceof SemanticIndex) await semantic.refresh();
      const similar = await semantic.similar('2501.10000', 5);
      assert.equal(similar.length, 5);
      assert.ok(
        similar.every((hit) => Number(hit.id.slice(-2)) % 2 === 1 && hit.id !== '2501.10000'),
        'now among the protein papers',
      );

      const retrained = await trainEmbeddingModel(store, { dimensions: 6, minDocuments: 2, force: true });
      assert.notEqual(retrained.model, model.model);
      assert.equal((await store.vectors.readVectors(model.model, 0, 100)).length, 0, 'old vectors dropped');
      assert.equal(await store.vectors.countPapersToEmbed(retrained.model), 60);
      await embedMissingPapers(store, retrained);
    });

    test('similar papers leave hidden ones out and still show as many as asked', async () => {
      const semantic = await openSemanticSearch(store);
      assert.ok(semantic);
      const nearest = (await semantic.similar('2501.10001', 6)).map((hit) => hit.id);
      assert.equal(nearest.length, 6);
      const hidden = [nearest[0], nearest[2]] as string[];
      for (const id of hidden) await store.papers.setPaperHidden(id, true);
      try {
        // Neighbours at equal distance come in any order, so this checks what is shown, not where.
        const shown = await similarPapers({ store, semantic }, '2501.10001', 3);
        assert.equal(shown.length, 3);
        for (const paper of shown) {
          assert.ok(!paper.hidden && !hidden.includes(paper.id), `${paper.id} is hidden`);
          assert.notEqual(paper.id, '2501.10001');
          assert.equal(Number(paper.id.slice(-2)) % 2, 1, 'a protein paper like 2501.10001');
        }
        const links = await similarPaperLinks({ store, semantic }, '2501.10001', 3);
        assert.deepEqual(
          links.map((link) => [link.id, link.title, link.upvotes]),
          shown.map((paper) => [paper.id, paper.title, paper.upvotes]),
          'a paper page links the same papers',
        );
      } finally {
        for (const id of hidden) await store.papers.setPaperHidden(id, false);
      }
    });

    test('hybrid search finds by meaning what words miss, says why, and applies filters to semantic hits', async () => {
      // The model of 6 dimensions trained above: on pgvector its vectors have an index of their own.
      const semantic = await openSemanticSearch(store);
      assert.ok(semantic);
      assert.equal(semantic.backend, backend, 'with pgvector the process holds no vector index');
      assert.equal(semantic instanceof SemanticIndex, backend === 'in-process');
      // "dexterous" is in some robot papers only: the others are found by meaning.
      const results = await searchPapers({ store, semantic }, 'dexterous', {
        limit: 30,
        offset: 0,
        boost: false,
      });
      assert.ok(
        results.hits.some((hit) => hit.semantic && !hit.keyword),
        'some found by meaning only',
      );
      assert.ok(
        results.hits.some((hit) => hit.semantic && hit.keyword),
        'some by both',
      );
      const meaningOnly = await searchPapers({ store, semantic }, 'dexterous', {
        limit: 30,
        offset: 0,
        mode: 'semantic',
      });
      assert.ok(meaningOnly.hits.length > 0);
      assert.ok(
        meaningOnly.hits.every((hit) => Number(hit.paper.id.slice(-2)) % 2 === 0),
        'by meaning: robot papers only',
      );
      const filtered = await searchPapers({ store, semantic }, 'dexterous cat:q-bio', {
        limit: 30,
        offset: 0,
      });
      const categories = await store.papers.getPapers(filtered.hits.map((hit) => hit.paper.id));
      assert.ok(categories.every((paper) => paper.categories.includes('q-bio.BM')));
      assert.equal(parseSearchQuery('x').paperId, null);
    });
  });
}

test('the partitioned index equals exact search when every partition is probed, and keeps new vectors findable', async () => {
  const index = new VectorIndex(8);
  const random = seededRandom(11);
  const unit = () => unitVector(8, random);
  for (let i = 0; i < 2_000; i++) index.add(`p${i}`, unit());
  const queries = Array.from({ length: 20 }, unit);
  const exact = queries.map((query) => index.search(query, 10).map((hit) => hit.id));
  await index.buildPartitions({ lists: 16, iterations: 4 });
  assert.ok(index.partitioned);
  queries.forEach((query, i) => {
    assert.deepEqual(
      index.search(query, 10, { probes: 16 }).map((hit) => hit.id),
      exact[i],
    );
  });
  const found = queries.reduce((sum, query, i) => {
    const approximate = new Set(index.search(query, 10, { probes: 4 }).map((hit) => hit.id));
    return sum + (exact[i] ?? []).filter((id) => approximate.has(id)).length;
  }, 0);
  assert.ok(found / 200 >= 0.6, `recall@10 with a quarter of the partitions: ${found / 200}`);
  const late = unit();
  index.add('late', late);
  assert.equal(index.search(late, 1, { probes: 1 })[0]?.id, 'late', 'added after the build, still found');
});

test("a search kept to one label finds that label's best: exact, after partitioning, and laid out by a snapshot", async () => {
  // The label of a vector: which of three slices of angle its first two values fall in (a clustered model's group).
  const labelOf = (vector: Float32Array) =>
    Math.floor(((Math.atan2(vector[1] as number, vector[0] as number) + Math.PI) / (2 * Math.PI)) * 3) % 3;
  const random = seededRandom(23);
  const unit = () => unitVector(8, random);
  const vectors = Array.from({ length: 3_000 }, unit);
  const index = new VectorIndex(8, labelOf);
  vectors.forEach((vector, i) => {
    index.add(`p${i}`, vector, i + 1);
  });
  const labelled = (id: string) => labelOf(vectors[Number(id.slice(1))] as Float32Array);
  const queries = Array.from({ length: 15 }, unit);
  const best = (query: Float32Array, label: number) =>
    index
      .search(query, 3_000)
      .filter((hit) => labelled(hit.id) === label)
      .slice(0, 10)
      .map((hit) => hit.id);
  const expected = queries.map((query, i) => best(query, i % 3));
  const labelledSearch = (within: VectorIndex, probes?: number) =>
    queries.map((query, i) =>
      within.search(query, 10, { label: i % 3, ...(probes && { probes }) }).map((hit) => hit.id),
    );
  assert.deepEqual(labelledSearch(index), expected, 'exact');
  assert.ok(expected.every((ids) => ids.length === 10));
  await index.buildPartitions({ lists: 30, sample: 1_000 });
  assert.deepEqual(labelledSearch(index, 30), expected, 'every partition probed: the same');
  const snapshot = index.partitionSnapshot();
  assert.ok(snapshot);
  const loaded = VectorIndex.withPartitions(8, snapshot, labelOf);
  assert.ok(loaded);
  vectors.forEach((vector, i) => {
    loaded.add(`p${i}`, vector, i + 1);
  });
  assert.deepEqual(labelledSearch(loaded, 30), expected, 'laid out by the snapshot: the same');
  // A vector replaced by one of another label is found under its new label only.
  const moved = queries[0] as Float32Array;
  loaded.add('p1', moved, 3_001);
  assert.equal(loaded.search(moved, 1, { label: labelOf(moved), probes: 30 })[0]?.id, 'p1');
  const other = (labelOf(moved) + 1) % 3;
  assert.ok(!loaded.search(moved, 3_000, { label: other }).some((hit) => hit.id === 'p1'));
});

test('a partition snapshot is compact, and an index laid out by it finds what the built one found', async () => {
  const index = new VectorIndex(8);
  const random = seededRandom(5);
  const unit = () => unitVector(8, random);
  const vectors = Array.from({ length: 3_000 }, unit);
  vectors.forEach((vector, i) => {
    index.add(`p${i}`, vector, i + 1);
  });
  assert.equal(index.partitionSnapshot(), null, 'nothing to save before a build');
  await index.buildPartitions({ lists: 30, sample: 1_000 });
  const snapshot = index.partitionSnapshot();
  assert.ok(snapshot);
  assert.ok(snapshot.length < 30 * 8 * 4 + 3_000 * 6 + 200, `${snapshot.length} bytes`);

  const loaded = VectorIndex.withPartitions(8, snapshot);
  assert.ok(loaded?.partitioned);
  assert.equal(VectorIndex.withPartitions(16, snapshot), null, 'another model size: rebuilt instead');
  // The store hands vectors out in seq order; p7's vector was replaced after the snapshot (a new seq).
  vectors.forEach((vector, i) => {
    if (i !== 7) loaded.add(`p${i}`, vector, i + 1);
  });
  loaded.add('p7', vectors[7] as Float32Array, 3_001);
  assert.equal(loaded.size, 3_000);
  assert.deepEqual(loaded.partitionInfo, { lists: 30, basis: 3_000, pending: 1 });
  const queries = Array.from({ length: 20 }, unit);
  for (const query of queries) {
    assert.deepEqual(loaded.search(query, 10, { probes: 4 }), index.search(query, 10, { probes: 4 }));
  }
  await loaded.assignPending();
  assert.equal(loaded.partitionInfo?.pending, 0);
  const late = unit();
  loaded.add('late', late, 3_002);
  assert.equal(loaded.search(late, 1, { probes: 1 })[0]?.id, 'late', 'pending vectors are scanned');
  await loaded.assignPending();
  assert.equal(loaded.search(late, 1, { probes: 1 })[0]?.id, 'late', 'and found in their partition');
  assert.equal(loaded.search(vectors[7] as Float32Array, 1, { probes: 1 })[0]?.id, 'p7');
  loaded.remove('late');
  assert.notEqual(loaded.search(late, 1)[0]?.id, 'late');
});

test('serve loads the saved partitions: same results, new papers found, rebuilt once the collection doubles', async () => {
  const topics = [
    ROBOTS,
    PROTEINS,
    ['galaxy', 'stellar', 'cosmic', 'telescope', 'redshift', 'dark', 'halo', 'orbit'],
  ];
  const papers = (from: number, count: number) =>
    Array.from({ length: count }, (_, j) => {
      const i = from + j;
      const words = topics[i % 3] as string[];
      const pick = (n: number) => Array.from({ length: n }, (_, k) => words[(i * 5 + k * 3) % 8]).join(' ');
      return paperRecord(`2502.${String(10000 + i)}`, { title: `${pick(3)} ${i}`, abstract: `${pick(6)}.` });
    });
  const partitioned = await openSqliteStore(join(tempDir(), 'partitions.db'));
  try {
    await partitioned.papers.writeBatch(papers(0, 300));
    const model = await trainEmbeddingModel(partitioned, { dimensions: 8, minDocuments: 2 });
    await embedMissingPapers(partitioned, model);
    const options = { partitionFrom: 100, partitions: { lists: 12 }, probes: 3 };
    const first = await SemanticIndex.open(partitioned, options);
    assert.ok(first);
    await first.partitioning;
    assert.ok(first.builtPartitions, 'built: there was no snapshot');
    assert.ok(await partitioned.vectors.getVectorPartitions(model.model), 'and saved');
    const queries = [
      'dexterous gripper',
      'enzyme docking structure',
      'galaxy redshift halo',
      'robot protein',
    ];
    const before = await Promise.all(queries.map((query) => first.search(query, 20)));

    const second = await SemanticIndex.open(partitioned, options);
    assert.ok(second);
    await second.partitioning;
    assert.equal(second.builtPartitions, false, 'loaded, not built');
    assert.deepEqual(second.partitionInfo, { lists: first.partitionInfo?.lists, basis: 300, pending: 0 });
    assert.deepEqual(await Promise.all(queries.map((query) => second.search(query, 20))), before);

    await partitioned.papers.writeBatch([
      paperRecord('2502.20000', { title: 'telescope orbit cosmic', abstract: 'stellar halo dark redshift.' }),
    ]);
    await embedMissingPapers(partitioned, model);
    await second.refresh();
    await second.partitioning;
    assert.equal(second.partitionInfo?.pending, 0, 'the new vector went into a partition');
    const found = await second.similar('2502.20000', 5);
    assert.equal(found.length, 5);
    const third = await SemanticIndex.open(partitioned, options);
    assert.ok(third);
    await third.partitioning;
    assert.equal(third.builtPartitions, false);
    assert.ok(
      (await third.search('telescope orbit cosmic stellar halo dark redshift', 5)).some(
        (hit) => hit.id === '2502.20000',
      ),
    );

    await partitioned.papers.writeBatch(papers(300, 400));
    await embedMissingPapers(partitioned, model);
    const grown = await SemanticIndex.open(partitioned, options);
    assert.ok(grown);
    await grown.partitioning;
    assert.ok(grown.builtPartitions, '701 vectors against a snapshot of 300: rebuilt');
    assert.equal(grown.partitionInfo?.basis, 701);
    const saved = VectorIndex.withPartitions(
      8,
      (await partitioned.vectors.getVectorPartitions(model.model)) as Buffer,
    );
    assert.equal(saved?.partitionInfo?.basis, 701, 'and saved again');
  } finally {
    await partitioned.close();
  }
});

test('the SIMD kernel scores like a plain dot product, in float32, bfloat16 and int8, across memory segments', () => {
  const random = seededRandom(9);
  for (const dimensions of [6, 16, 100]) {
    const vectors = Array.from({ length: 700 }, () => Float32Array.from({ length: dimensions }, random));
    const query = Float32Array.from({ length: dimensions }, random);
    const dot = (vector: Float32Array) => vector.reduce((sum, x, d) => sum + x * (query[d] ?? 0), 0);
    for (const [precision, tolerance] of [
      ['float32', 1e-5],
      ['bfloat16', 2e-2],
      ['int8', 2e-2],
    ] as const) {
      // Segments of 4 KB: a few dozen vectors each, so ranges and positions cross segment boundaries.
      const arena = new VectorArena(dimensions, precision, 4096);
      for (const vector of vectors) arena.push(vector);
      const scores = new Map<number, number>();
      arena.scan(query, 50, 600, (position, score) => scores.set(position, score));
      assert.equal(scores.size, 600);
      for (const [position, score] of scores) {
        assert.ok(
          Math.abs(score - dot(vectors[position] as Float32Array)) < tolerance,
          `${precision} ${position}`,
        );
      }
      const scattered: number[] = [];
      arena.scanPositions(query, [699, 3, 350, 3], (position) => scattered.push(position));
      assert.deepEqual(scattered, [699, 3, 350, 3]);
      // A query prepared once scores the same in every scan of a search, and only in its own arena.
      const prepared = arena.prepare(query);
      const again = new Map<number, number>();
      arena.scan(prepared, 50, 300, (position, score) => again.set(position, score));
      arena.scan(prepared, 350, 300, (position, score) => again.set(position, score));
      assert.deepEqual(again, scores);
      const other = new VectorArena(dimensions, precision);
      other.push(query);
      assert.throws(() => other.scan(prepared, 0, 1, () => {}), /another arena/);
      const read = arena.read(123);
      const original = vectors[123] as Float32Array;
      // bfloat16 keeps 8 bits of each value; int8 steps of a 127th of the vector's largest value.
      const step = precision === 'int8' ? Math.max(...original.map(Math.abs)) / 127 : 0;
      assert.ok(
        read.every((x, d) => Math.abs(x - (original[d] as number)) <= Math.abs(x) / 128 + step / 2 + 1e-6),
        `${precision} read`,
      );
    }
  }
});

test('a clustered model on pgvector: each query vector searched in its cluster, the same papers as in process', {
  skip: skipStoreKind('postgres+pgvector'),
}, async (t) => {
  const database = await freshDatabase('postgres+pgvector', t);
  const store = await database.open();
  await store.papers.writeBatch(
    corpus().map((paper) => paperRecord(paper.id, { title: paper.title, abstract: paper.abstract })),
  );
  const model = await trainEmbeddingModel(store, {
    dimensions: 6,
    globalDimensions: 4,
    papersPerCluster: 20,
    minDocuments: 2,
  });
  assert.ok(model.grouped, 'three clusters of 20 papers');
  await embedMissingPapers(store, model);
  const inDatabase = await openSemanticSearch(store);
  assert.ok(inDatabase instanceof DatabaseVectorSearch);
  const withoutPgvector = await openPostgresStore(database.url, { pgvector: false });
  t.after(() => withoutPgvector.close());
  const inProcess = await openSemanticSearch(withoutPgvector);
  assert.ok(inProcess instanceof SemanticIndex);
  // Papers of the same words tie, and ties come in any order: the scores, rank by rank, must be the same (up to
  // the in-process index's 8-bit vectors).
  const sameScores = (a: Array<{ score: number }>, b: Array<{ score: number }>, what: string) => {
    assert.equal(a.length, b.length, what);
    a.forEach((hit, rank) =>
      assert.ok(Math.abs(hit.score - (b[rank]?.score ?? 0)) < 0.005, `${what} #${rank}`),
    );
  };
  for (const query of ['robot grasping', 'protein folding enzyme', 'tactile gripper arm']) {
    const found = await inDatabase.search(query, 10);
    assert.equal(found.length, 10, query);
    sameScores(found, await inProcess.search(query, 10), query);
  }
  const similar = await inDatabase.similar('2501.10000', 5);
  assert.equal(similar.length, 5);
  assert.ok(!similar.some((hit) => hit.id === '2501.10000'));
  sameScores(similar, await inProcess.similar('2501.10000', 5), 'similar papers');
});
