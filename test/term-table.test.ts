import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LsaModel } from '../src/embeddings/lsa-model.ts';
import { embedderFromStored } from '../src/embeddings/stored-embedder.ts';
import { FloatTermTable, Int4TermTable, Int8TermTable, readTermTable } from '../src/embeddings/term-table.ts';

const DIMENSIONS = 8;
/** Tables are held in 4 bits from 64 dimensions on. */
const WIDE = 64;
const TERMS = 50;

/** A table like an LSA model's: each column divided by a singular value, so the first columns hold the least. */
function lsaLikeTable(dimensions = DIMENSIONS): Float32Array {
  let seed = 7;
  const random = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff - 0.5;
  };
  return Float32Array.from(
    { length: TERMS * dimensions },
    (_, i) => random() / (dimensions + 2 - (i % dimensions)),
  );
}

function sumOfRows(table: FloatTermTable | Int8TermTable | Int4TermTable, terms: number[]): Float32Array {
  const vector = new Float32Array(table.dimensions);
  terms.forEach((term, i) => {
    table.addRow(term, 1 + i, vector);
  });
  return vector;
}

/** Each column's root mean square. */
function columnSpreads(values: Float32Array): number[] {
  return Array.from({ length: WIDE }, (_, d) =>
    Math.sqrt(
      Array.from({ length: TERMS }, (_, t) => (values[t * WIDE + d] as number) ** 2).reduce(
        (sum, x) => sum + x,
      ) / TERMS,
    ),
  );
}

test('an int4 term table keeps each row close to its values, the smallest columns too, in an eighth of the bytes', () => {
  const values = lsaLikeTable(WIDE);
  const exact = new FloatTermTable(WIDE, values);
  const small = Int4TermTable.quantize(values, WIDE);
  assert.equal(small.values.byteLength, values.byteLength / 8);
  const spreads = columnSpreads(values);
  let error = 0;
  for (let term = 0; term < TERMS; term++) {
    const [a, b] = [sumOfRows(exact, [term]), sumOfRows(small, [term])];
    for (let d = 0; d < WIDE; d++) {
      const relative = Math.abs((a[d] as number) - (b[d] as number)) / (spreads[d] as number);
      assert.ok(
        relative < 0.5,
        `term ${term}, dimension ${d}: off by ${relative.toFixed(2)} of its column's spread`,
      );
      error += relative ** 2;
    }
  }
  assert.ok(Math.sqrt(error / (TERMS * WIDE)) < 0.15, 'within a seventh of the spread on the whole');
  const stored = readTermTable('int4', Buffer.concat(small.bytes()), TERMS, WIDE);
  assert.deepEqual(sumOfRows(stored as Int4TermTable, [1, 5, 9]), sumOfRows(small, [1, 5, 9]));
  const zero = Int4TermTable.quantize(new Float32Array(WIDE * 2), WIDE);
  assert.deepEqual(sumOfRows(zero, [0, 1]), new Float32Array(WIDE), 'an empty row adds nothing');
});

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

test('an int8 table (the models of 2026-12) is read into 4 bits, close to what it held', () => {
  const values = lsaLikeTable(WIDE);
  const columnScales = Float32Array.from(columnSpreads(values));
  const rowScales = new Float32Array(TERMS);
  const int8 = new Int8Array(TERMS * WIDE);
  for (let term = 0; term < TERMS; term++) {
    const row = Array.from(
      { length: WIDE },
      (_, d) => (values[term * WIDE + d] as number) / (columnScales[d] as number),
    );
    rowScales[term] = Math.max(...row.map(Math.abs)) / 127;
    row.forEach((value, d) => {
      int8[term * WIDE + d] = Math.round(value / (rowScales[term] as number));
    });
  }
  const stored = Buffer.concat([rowScales, columnScales, int8].map((array) => Buffer.from(array.buffer)));
  // At an odd offset, as a part of a clustered model's blob may be.
  const read = readTermTable('int8', Buffer.concat([Buffer.alloc(1), stored]).subarray(1), TERMS, WIDE);
  assert.equal(read.format, 'int4');
  for (let term = 0; term < TERMS; term++) {
    const [exact, held] = [
      sumOfRows(new FloatTermTable(WIDE, values), [term]),
      sumOfRows(read as Int4TermTable, [term]),
    ];
    for (let d = 0; d < WIDE; d++)
      assert.ok(
        Math.abs((exact[d] as number) - (held[d] as number)) < 0.5 * (columnScales[d] as number),
        `term ${term}, dimension ${d}`,
      );
  }
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
