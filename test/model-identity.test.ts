import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { ClusteredLsaModel } from '../src/embeddings/clustered-lsa-model.ts';
import { LsaModel } from '../src/embeddings/lsa-model.ts';
import { embedderFromStored } from '../src/embeddings/stored-embedder.ts';
import { Int4TermTable, Int8TermTable } from '../src/embeddings/term-table.ts';

/** A model of fixed, made-up numbers: `terms` words, a 4-bit table from 64 dimensions on, else 8-bit. */
function fixedModel(dimensions: number, terms: number, salt: number): LsaModel {
  const vocabulary = Array.from({ length: terms }, (_, i) => `term${salt}x${i}`);
  const idf = Float32Array.from(vocabulary, (_, i) => 1 + ((i * 7 + salt) % 11) / 3);
  const values = Float32Array.from({ length: terms * dimensions }, (_, i) => Math.sin(i * 0.37 + salt));
  const table =
    dimensions >= 64
      ? Int4TermTable.quantize(values, dimensions)
      : Int8TermTable.quantize(values, dimensions);
  return new LsaModel(dimensions, vocabulary, idf, table, 1000 + salt, undefined, 'stems');
}

function fixedClusteredModel(): ClusteredLsaModel {
  const global = fixedModel(8, 40, 1);
  const centroids = Float32Array.from({ length: 2 * 8 }, (_, i) => Math.cos(i));
  return new ClusteredLsaModel(global, centroids, [fixedModel(64, 90, 2), fixedModel(64, 70, 3)], 0.8);
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

// The ids and bytes these models had when the ids were first pinned: a site's stored model keeps its id (and so
// its vectors) across versions only while the stored form and its digest stay the same.
test('a fixed model keeps its id and its stored bytes', () => {
  const single = fixedModel(64, 90, 2);
  assert.equal(single.model, 'lsa-64-af2f0be4b9');
  assert.equal(
    sha256(single.serialize()),
    '8b02eea0ff23d0e737cf4eebc63558afae262b3a855e64b9a75e5419ef933c56',
  );
  const clustered = fixedClusteredModel();
  assert.equal(clustered.model, 'clsa-72-36cd8a8a99');
  assert.equal(
    sha256(clustered.serialize()),
    'a0b80660f191ca1b05833ea9f7901308d614337f3d0ef389bf09e166f6d5b6f4',
  );
});

test('a stored model reads back as the same model: same id, bytes and vectors', () => {
  for (const model of [
    fixedModel(64, 90, 2),
    fixedClusteredModel(),
    fixedClusteredModel().withQuality(0.3),
  ]) {
    const data = model.serialize();
    const stored = embedderFromStored({ model: model.model, data });
    assert.equal(stored.model, model.model);
    assert.ok(stored instanceof LsaModel || stored instanceof ClusteredLsaModel);
    assert.equal(stored.quality, model.quality);
    assert.deepEqual(stored.serialize(), data);
    assert.deepEqual(stored.embedOne('term2x5 term2x17 term1x3'), model.embedOne('term2x5 term2x17 term1x3'));
  }
});
