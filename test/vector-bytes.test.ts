import assert from 'node:assert/strict';
import { test } from 'node:test';
import { unpackVectors, vectorToBytes } from '../src/store/vector-bytes.ts';

const vectors = [
  Float32Array.from([1, -0.5, 0, 1e-30]),
  Float32Array.from([0.25, 0, -0, 3]),
  Float32Array.from([-1, 2, -3, 4]),
];
const packed = (bytes: Buffer) => ({
  ids: '2501.00001 hep-th/9901001 2501.00003',
  seqs: '4 9 12',
  lengths: vectors.map((vector) => vector.byteLength).join(' '),
  vectors: bytes,
});

test('a packed page unpacks into its vectors, ids and seqs, bit for bit', () => {
  const unpacked = unpackVectors(packed(Buffer.concat(vectors.map(vectorToBytes))));
  assert.deepEqual(
    unpacked.map(({ id, seq }) => [id, seq]),
    [
      ['2501.00001', 4],
      ['hep-th/9901001', 9],
      ['2501.00003', 12],
    ],
  );
  unpacked.forEach(({ vector }, i) => {
    assert.deepEqual(vectorToBytes(vector), vectorToBytes(vectors[i] as Float32Array));
  });
});

test('bytes that do not start on a float boundary are copied before they are read', () => {
  const shifted = Buffer.alloc(1 + 3 * 16);
  Buffer.concat(vectors.map(vectorToBytes)).copy(shifted, 1);
  const unpacked = unpackVectors(packed(shifted.subarray(1)));
  assert.deepEqual(
    unpacked.map(({ vector }) => [...vector]),
    vectors.map((vector) => [...vector]),
  );
});

test('an empty page unpacks to nothing', () => {
  assert.deepEqual(unpackVectors({ ids: null, seqs: null, lengths: null, vectors: null }), []);
});
