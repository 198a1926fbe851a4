import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ClusteredLsaModel } from '../src/embeddings/clustered-lsa-model.ts';
import { LsaModel } from '../src/embeddings/lsa-model.ts';
import { embedderFromStored } from '../src/embeddings/stored-embedder.ts';
import { Int4TermTable } from '../src/embeddings/term-table.ts';
import { FileInt4TermTable } from '../src/embeddings/term-table-file.ts';
import { tempDir } from './helpers/temp.ts';

/** Tables are held in 4 bits from 64 dimensions on. */
const DIMENSIONS = 64;
const TERMS = 40;
const vocabulary = Array.from({ length: TERMS }, (_, i) => `word${String.fromCharCode(97 + (i % 26))}${i}`);

function model(seed: number): LsaModel {
  const random = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff - 0.5;
  };
  const values = Float32Array.from({ length: TERMS * DIMENSIONS }, random);
  const idf = Float32Array.from(vocabulary, (_, i) => 1 + i / TERMS);
  return new LsaModel(DIMENSIONS, vocabulary, idf, Int4TermTable.quantize(values, DIMENSIONS), TERMS);
}

const texts = [
  `${vocabulary[2]} ${vocabulary[30]} ${vocabulary[30]}`,
  `${vocabulary[7]} unknown`,
  'nothing known',
];

test('term tables kept in a file embed exactly as in memory, store the same bytes and leave no file behind', () => {
  const global = model(3);
  const centroids = Float32Array.from({ length: 2 * DIMENSIONS }, (_, i) =>
    i % DIMENSIONS === i >> 6 ? 1 : 0,
  );
  const models = [global, new ClusteredLsaModel(global, centroids, [model(5), model(11)], 0.8)];
  for (const original of models) {
    const dir = join(tempDir(), 'data');
    const stored = { model: original.model, data: original.serialize() };
    const inFile = embedderFromStored(stored, { termTablesDir: dir });
    assert.ok(inFile instanceof LsaModel || inFile instanceof ClusteredLsaModel);
    const parts = inFile instanceof ClusteredLsaModel ? [inFile.global, ...inFile.locals] : [inFile];
    for (const part of parts) assert.ok(part.termTable instanceof FileInt4TermTable);
    assert.deepEqual(readdirSync(dir), [], 'the file is deleted as soon as it is open');
    for (const text of texts) assert.deepEqual(inFile.embedOne(text), original.embedOne(text));
    assert.deepEqual(inFile.serialize(), original.serialize());
  }
});

test('where no file can be written the tables stay in memory', () => {
  // A folder under a file: not even root can create it.
  const file = join(tempDir(), 'a-file');
  writeFileSync(file, '');
  const original = model(3);
  const loaded = embedderFromStored(
    { model: original.model, data: original.serialize() },
    { termTablesDir: join(file, 'data') },
  );
  assert.ok(loaded instanceof LsaModel && loaded.termTable instanceof Int4TermTable);
  assert.deepEqual(loaded.embedOne(texts[0] as string), original.embedOne(texts[0] as string));
});
