import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LsaModel } from '../src/embeddings/lsa-model.ts';
import { embedderFromStored } from '../src/embeddings/stored-embedder.ts';
import { FloatTermTable, Int8TermTable, readTermTable } from '../src/embeddings/term-table.ts';

const DIMENSIONS = 8;
const TERMS = 50;

/** A table like an LSA model's: each column divided by a singular value, so the first columns hold the least. */
function lsaLikeTable(): Float32Array {
  let seed = 7;
  const random = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff - 0.5;
  };
  return Float32Array.from({ length: TERMS * DIMENSIONS }, (_, i) => random() / (10 - (i % DIMENSIONS)));
}

function sumOfRows(table: FloatTermTable | Int8TermTable, terms: number[]): Float32Array {
  const vector = new Float32Array(DIMENSIONS);
  terms.forEach((term, i) => {
    table.addRow(term, 1 + i, vector);
  });
  return vector;
}

test('an int8 term table keeps every dimension within a small share of its spread, the smallest too', () => {
  const values = lsaLikeTable();
  const exact = new FloatTermTable(DIMENSIONS, values);
  const small = Int8TermTable.quantize(values, DIMENSIONS);
  assert.equal(small.values.byteLength, values.byteLength / 4);
  for (let term = 0; term < TERMS; term++) {
    const [a, b] = [sumOfRows(exact, [term]), sumOfRows(small, [term])];
    for (let d = 0; d < DIMENSIONS; d++) {
      const column = Math.sqrt(
        Array.from({ length: TERMS }, (_, t) => (values[t * DIMENSIONS + d] as number) ** 2).reduce(
          (sum, x) => sum + x,
        ) / TERMS,
      );
      assert.ok(
        Math.abs((a[d] as number) - (b[d] as number)) < 0.01 * column,
        `term ${term}, dimension ${d}`,
      );
    }
  }
  const stored = readTermTable('int8', Buffer.concat(small.bytes()), TERMS, DIMENSIONS);
  assert.deepEqual(sumOfRows(stored as Int8TermTable, [1, 5, 9]), sumOfRows(small, [1, 5, 9]));
  const zero = Int8TermTable.quantize(new Float32Array(DIMENSIONS * 2), DIMENSIONS);
  assert.deepEqual(sumOfRows(zero, [0, 1]), new Float32Array(DIMENSIONS), 'an empty row adds nothing');
});

test('a model stored with a float32 table (the first format) still loads and embeds as before', () => {
  const vocabulary = Array.from({ length: TERMS }, (_, i) => `term${String.fromCharCode(97 + (i % 26))}${i}`);
  const idf = Float32Array.from(vocabulary, (_, i) => 1 + i / TERMS);
  const table = new FloatTermTable(DIMENSIONS, lsaLikeTable());
  const model = new LsaModel(DIMENSIONS, vocabulary, idf, table, TERMS, undefined, 'words');
  const text = `${vocabulary[3]} ${vocabulary[17]} ${vocabulary[17]}`;
  const stored = embedderFromStored({ model: model.model, data: model.serialize() });
  assert.ok(stored instanceof LsaModel);
  assert.equal(stored.termTable.format, 'float32');
  assert.deepEqual(stored.embedOne(text), model.embedOne(text));
  const header = model
    .serialize()
    .subarray(4, 4 + model.serialize().readUInt32LE(0))
    .toString();
  assert.ok(!header.includes('"table"'), 'the first format’s header, so its id stays');
});
