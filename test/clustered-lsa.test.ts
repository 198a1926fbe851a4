import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ClusteredLsaModel, trainClusteredLsa } from '../src/embeddings/clustered-lsa-model.ts';
import { DEFAULT_LSA, LsaModel, trainLsa } from '../src/embeddings/lsa-model.ts';
import { embedderFromStored } from '../src/embeddings/stored-embedder.ts';
import { nearestByMeaning } from '../src/search-index/nearest-by-meaning.ts';

const TOPICS = [
  ['robot', 'grasping', 'gripper', 'tactile', 'dexterous', 'manipulation'],
  ['protein', 'folding', 'enzyme', 'docking', 'amino', 'binding'],
  ['galaxy', 'stellar', 'telescope', 'redshift', 'halo', 'cosmic'],
];

/** 90 papers on three topics that share no words; within a topic, papers differ by which words they use. */
function texts(): string[] {
  return Array.from({ length: 90 }, (_, i) => {
    const words = TOPICS[i % 3] as string[];
    return Array.from({ length: 5 }, (_, j) => words[(i + j * (1 + (i % 5))) % words.length]).join(' ');
  });
}

const dot = (a: Float32Array, b: Float32Array) => a.reduce((sum, x, d) => sum + x * (b[d] as number), 0);
const options = { dimensions: 4, minDocuments: 2, powerIterations: 2, globalDimensions: 3, localWeight: 0.8 };

test('a collection of several fields gets a model per cluster beside the whole collection’s; it survives storage', async () => {
  const model = await trainClusteredLsa(texts(), { ...options, papersPerCluster: 30 });
  assert.ok(model instanceof ClusteredLsaModel);
  assert.equal(model.locals.length, 3);
  assert.equal(model.dimensions, 3 + 4);
  const vector = model.embedOne('robot gripper tactile');
  assert.ok(Math.abs(dot(vector, vector) - 1) < 1e-4, 'unit length');
  const same = model.embedOne('dexterous grasping robot');
  const other = model.embedOne('galaxy redshift halo');
  assert.ok(dot(vector, same) > dot(vector, other) + 0.5, 'one topic together, others apart');
  assert.deepEqual(model.embedOne('unknown words only'), new Float32Array(7), 'no known word: no direction');

  const stored = embedderFromStored({ model: model.model, data: model.serialize() });
  assert.ok(stored instanceof ClusteredLsaModel);
  assert.equal(stored.model, model.model);
  assert.deepEqual(stored.embedOne('robot gripper tactile'), vector);
  assert.equal(
    new ClusteredLsaModel(stored.global, stored.centroids, stored.locals, stored.localWeight).model,
    model.model,
    'the id follows the content',
  );
  const measured = model.withQuality(0.42);
  assert.equal(measured.model, model.model, 'its measured quality does not change the model');
  const reloaded = embedderFromStored({ model: measured.model, data: measured.serialize() });
  assert.equal(reloaded.quality, 0.42);
  assert.equal(stored.quality, undefined, 'never measured');
});

test('a collection too small for two clusters gets one LSA model', async () => {
  const model = await trainClusteredLsa(texts(), { ...options, papersPerCluster: 100 });
  assert.ok(model instanceof LsaModel);
  assert.equal(model.dimensions, 4);
  assert.ok(embedderFromStored({ model: model.model, data: model.serialize() }) instanceof LsaModel);
  const measured = model.withQuality(0.5);
  assert.equal(measured.model, model.model);
  const reloaded = embedderFromStored({ model: measured.model, data: measured.serialize() });
  assert.equal(reloaded.quality, 0.5);
  assert.deepEqual(measured.embedOne('robot gripper'), model.embedOne('robot gripper'));
});

test('the default training keeps a term that only one paper has: a query naming it finds that paper', () => {
  const papers = texts();
  papers[40] = `${papers[40]} zebrafish`;
  // As many dimensions as the collection has terms, as a large site's model has for its papers' rare terms.
  const model = trainLsa(papers, { ...DEFAULT_LSA, dimensions: 32 });
  assert.ok(model.vocabulary.includes('zebrafish'));
  const query = model.embedOne('zebrafish');
  const scores = papers.map((text) => dot(query, model.embedOne(text)));
  assert.equal(scores.indexOf(Math.max(...scores)), 40);
});

test('a query is looked for in each of its likeliest clusters, scored by that cluster’s model against its papers only', async () => {
  const model = await trainClusteredLsa(texts(), { ...options, papersPerCluster: 30 });
  assert.ok(model instanceof ClusteredLsaModel);
  const papers = texts().map((text, i) => ({ id: `p${i}`, vector: model.embedOne(text) }));
  const source = {
    nearest: (vector: Float32Array, limit: number) =>
      papers
        .map((paper) => ({ id: paper.id, score: dot(vector, paper.vector) }))
        .sort((a, b) => b.score - a.score)
        .slice(0, limit),
    vectorsOf: (ids: string[]) =>
      new Map(papers.filter((p) => ids.includes(p.id)).map((p) => [p.id, p.vector])),
  };
  const query = 'robot gripper galaxy';
  const queries = model.queryVectors(query);
  assert.equal(queries.length, 3);
  assert.equal(new Set(queries.map((q) => q.group)).size, 3, 'three different clusters');
  assert.equal(queries[0]?.group, model.groupOf(model.embedOne(query)), 'its own cluster first');
  const hits = await nearestByMeaning(model, query, 90, source);
  const topics = new Set(hits.map((hit) => Number(hit.id.slice(1)) % 3));
  assert.ok(topics.has(0) && topics.has(2), 'robot and galaxy papers, each found by its own cluster’s model');
  for (const hit of hits) {
    const paper = papers.find((p) => p.id === hit.id)?.vector as Float32Array;
    const own = queries.find((q) => q.group === model.groupOf(paper));
    assert.ok(own, 'only papers of the query’s clusters');
    assert.ok(
      Math.abs(hit.score - dot(own.vector, paper)) < 1e-6,
      'scored by the query’s vector for its cluster',
    );
  }
  assert.ok(
    hits.every((hit, i) => i === 0 || (hits[i - 1]?.score ?? 0) >= hit.score),
    'best first',
  );

  const single = trainLsa(texts(), options);
  const vectors = texts().map((text, i) => ({ id: `p${i}`, vector: single.embedOne(text) }));
  const plain = await nearestByMeaning(single, 'robot gripper', 5, {
    nearest: (vector, limit) =>
      vectors
        .map((paper) => ({ id: paper.id, score: dot(vector, paper.vector) }))
        .sort((a, b) => b.score - a.score)
        .slice(0, limit),
    vectorsOf: () => new Map(),
  });
  assert.equal(plain.length, 5, 'one model: the nearest to the query’s vector');
});

test('a training run stopped halfway resumes from its saved parts and ends with the same model', async () => {
  const training = { ...options, papersPerCluster: 30 };
  const straight = await trainClusteredLsa(texts(), training);
  const saved = new Map<number, Buffer>();
  await assert.rejects(
    trainClusteredLsa(texts(), training, {
      saved,
      save: async (part, data) => {
        if (saved.size === 2) throw new Error('stopped');
        saved.set(part, data);
      },
    }),
    /stopped/,
  );
  const steps: string[] = [];
  const savedAgain: number[] = [];
  const resumed = await trainClusteredLsa(
    texts(),
    { ...training, onProgress: (step) => steps.push(step) },
    { saved, save: async (part) => void savedAgain.push(part) },
  );
  assert.equal(resumed.model, straight.model, 'the same model');
  assert.deepEqual(savedAgain, [1, 2], 'only the parts not saved before are trained');
  assert.equal(steps[0], 'resuming: 2 parts saved by an earlier run');
});
