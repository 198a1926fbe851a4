import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  gram,
  multiply,
  multiplyDense,
  multiplyRandom,
  multiplyTransposed,
  type SparseMatrix,
  symmetricCrossProduct,
  symmetricEigen,
} from '../src/embeddings/linear-algebra.ts';

/** A 4 × 6 sparse matrix (papers × terms) and a 4 × 3 dense one. */
const a: SparseMatrix = {
  rows: 4,
  columns: 6,
  rowStart: Int32Array.from([0, 2, 5, 6, 8]),
  column: Int32Array.from([0, 3, 1, 2, 5, 4, 0, 5]),
  value: Float32Array.from([1, 2, -1, 0.5, 3, 4, -2, 1]),
};
const y = Float64Array.from([1, 0, 2, -1, 3, 0.5, 0, 1, 1, 2, -2, 0]);

const close = (actual: Float64Array, expected: Float64Array) =>
  assert.ok(
    actual.length === expected.length &&
      actual.every((value, i) => Math.abs(value - (expected[i] as number)) < 1e-9),
    `${[...actual]} ≠ ${[...expected]}`,
  );

test('the papers-side products equal the terms-side ones: Yᵀ·(A·AᵀY) = (AᵀY)ᵀ(AᵀY), Aᵀ·(Y·W) = (AᵀY)·W', () => {
  const z = multiplyTransposed(a, y, 3);
  close(symmetricCrossProduct(y, multiply(a, z, 3), 4, 3), gram(z, 6, 3));
  const w = Float64Array.from([0.5, -1, 2, 1, 0, 1, -1, 3, 0.25]);
  close(multiplyTransposed(a, multiplyDense(y, 4, 3, w, 2), 2), multiplyDense(z, 6, 3, w, 2));
  close(multiplyDense(y, 4, 3, w, 3).subarray(0, 3), Float64Array.from([1 * 0.5 + 2 * -1, -1 + 6, 2 + 0.5]));
});

test('a symmetric matrix’s eigenvalues come largest first, each with its vector in a column', () => {
  const s = Float64Array.from([4, 1, 0, 1, 3, 1, 0, 1, 2]);
  const { values, vectors } = symmetricEigen(s, 3);
  assert.deepEqual(
    values.map((value) => Math.round(value * 1e6) / 1e6),
    [...values].sort((x, b) => b - x).map((value) => Math.round(value * 1e6) / 1e6),
  );
  values.forEach((value, c) => {
    const v = [0, 1, 2].map((r) => vectors[r * 3 + c] as number);
    const sv = [0, 1, 2].map((r) =>
      [0, 1, 2].reduce((sum, k) => sum + (s[r * 3 + k] as number) * (v[k] as number), 0),
    );
    sv.forEach((component, r) => assert.ok(Math.abs(component - value * (v[r] as number)) < 1e-9));
  });
  assert.ok(Math.abs((values[0] as number) - (3 + Math.sqrt(3))) < 1e-9);
});

test('A·Ω drawn a block of rows at a time equals A·Ω drawn whole, across blocks', () => {
  const columns = 10_000;
  const wide: SparseMatrix = {
    rows: 3,
    columns,
    rowStart: Int32Array.from([0, 3, 4, 6]),
    column: Int32Array.from([9_999, 0, 4_100, 8_200, 4_095, 4_096]),
    value: Float32Array.from([1, -2, 0.5, 3, 2, -1]),
  };
  const seeded = () => {
    let seed = 7;
    return () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff - 0.5;
    };
  };
  const omega = Float64Array.from({ length: columns * 2 }, seeded());
  close(multiplyRandom(wide, 2, seeded()), multiply(wide, omega, 2));
});
