// Dense and sparse linear algebra for a randomized truncated SVD (row-major Float64Array matrices).
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

/** A sparse matrix in compressed sparse row form. */
export interface SparseMatrix {
  rows: number;
  columns: number;
  rowStart: Int32Array;
  column: Int32Array;
  value: Float32Array;
}

/**
 * Adds A's products into `target`: for each stored value v at (row, column), v times the source's row `column`
 * into the target's row `row` (A·source), or, transposed, v times the source's row `row` into the target's row
 * `column` (Aᵀ·source). Both rows are `width` wide.
 */
function addProducts(
  a: SparseMatrix,
  source: Float64Array,
  target: Float64Array,
  width: number,
  transposed: boolean,
) {
  // Indexes are in range by construction: `as number` instead of `?? 0` keeps the inner loop free of branches.
  for (let row = 0; row < a.rows; row++) {
    const end = a.rowStart[row + 1] as number;
    for (let p = a.rowStart[row] as number; p < end; p++) {
      const v = a.value[p] as number;
      const column = a.column[p] as number;
      const out = (transposed ? column : row) * width;
      const from = (transposed ? row : column) * width;
      for (let c = 0; c < width; c++)
        target[out + c] = (target[out + c] as number) + v * (source[from + c] as number);
    }
  }
}

/** A·X: (rows × columns) times (columns × width). */
export function multiply(a: SparseMatrix, x: Float64Array, width: number): Float64Array {
  const y = new Float64Array(a.rows * width);
  addProducts(a, x, y, width, false);
  return y;
}

/** Rows of Ω drawn at a time by `multiplyRandom`: a few MB, where the whole Ω is as large as the term table. */
const RANDOM_ROWS = 4096;

/**
 * A·Ω for a random Ω of `width` columns whose values `random` draws row after row, a block of rows at a time:
 * the same product as with the whole Ω drawn first, without holding it.
 */
export function multiplyRandom(a: SparseMatrix, width: number, random: () => number): Float64Array {
  const y = new Float64Array(a.rows * width);
  const block = new Float64Array(RANDOM_ROWS * width);
  for (let first = 0; first < a.columns; first += RANDOM_ROWS) {
    const last = Math.min(a.columns, first + RANDOM_ROWS);
    for (let i = 0; i < (last - first) * width; i++) block[i] = random();
    for (let row = 0; row < a.rows; row++) {
      const end = a.rowStart[row + 1] as number;
      for (let p = a.rowStart[row] as number; p < end; p++) {
        const column = a.column[p] as number;
        if (column < first || column >= last) continue;
        const v = a.value[p] as number;
        const out = row * width;
        const from = (column - first) * width;
        for (let c = 0; c < width; c++) y[out + c] = (y[out + c] as number) + v * (block[from + c] as number);
      }
    }
  }
  return y;
}

/** Aᵀ·Y: (columns × rows) times (rows × width). */
export function multiplyTransposed(a: SparseMatrix, y: Float64Array, width: number): Float64Array {
  const z = new Float64Array(a.columns * width);
  addProducts(a, y, z, width, true);
  return z;
}

/** Xᵀ·Y for X and Y of n rows and `width` columns, when the product is known to be symmetric (its upper half, mirrored). */
export function symmetricCrossProduct(
  x: Float64Array,
  y: Float64Array,
  n: number,
  width: number,
): Float64Array {
  const g = new Float64Array(width * width);
  for (let i = 0; i < n; i++) {
    const xRow = x.subarray(i * width, (i + 1) * width);
    const yRow = y.subarray(i * width, (i + 1) * width);
    for (let a = 0; a < width; a++) {
      const xa = xRow[a] as number;
      if (xa === 0) continue;
      const out = a * width;
      for (let b = a; b < width; b++) g[out + b] = (g[out + b] as number) + xa * (yRow[b] as number);
    }
  }
  for (let a = 0; a < width; a++) for (let b = 0; b < a; b++) g[a * width + b] = g[b * width + a] as number;
  return g;
}

/** X·W for X of n rows and `width` columns and the first `k` columns of W (width × width). */
export function multiplyDense(
  x: Float64Array,
  n: number,
  width: number,
  w: Float64Array,
  k: number,
): Float64Array {
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    const target = i * k;
    for (let a = 0; a < width; a++) {
      const xa = x[i * width + a] as number;
      if (xa === 0) continue;
      const from = a * width;
      for (let c = 0; c < k; c++)
        out[target + c] = (out[target + c] as number) + xa * (w[from + c] as number);
    }
  }
  return out;
}

/** Yᵀ·Y for Y of n rows and `width` columns. */
export function gram(y: Float64Array, n: number, width: number): Float64Array {
  return symmetricCrossProduct(y, y, n, width);
}

function cholesky(g: Float64Array, width: number): Float64Array {
  const l = new Float64Array(width * width);
  for (let j = 0; j < width; j++) {
    let sum = g[j * width + j] as number;
    for (let k = 0; k < j; k++) sum -= (l[j * width + k] as number) ** 2;
    const diagonal = Math.sqrt(Math.max(sum, 1e-300));
    l[j * width + j] = diagonal;
    for (let i = j + 1; i < width; i++) {
      let t = g[i * width + j] as number;
      for (let k = 0; k < j; k++) t -= (l[i * width + k] as number) * (l[j * width + k] as number);
      l[i * width + j] = t / diagonal;
    }
  }
  return l;
}

/** Orthonormalizes the columns of Y in place (Cholesky QR, twice for stability). */
export function orthonormalize(y: Float64Array, n: number, width: number): Float64Array {
  for (let pass = 0; pass < 2; pass++) {
    const g = gram(y, n, width);
    // A little ridge keeps the factorization finite when Y is rank-deficient (a small or repetitive corpus).
    let trace = 0;
    for (let j = 0; j < width; j++) trace += g[j * width + j] as number;
    const ridge = Math.max((1e-10 * trace) / width, 1e-30);
    for (let j = 0; j < width; j++) g[j * width + j] = (g[j * width + j] as number) + ridge;
    const l = cholesky(g, width);
    const q = new Float64Array(width);
    for (let i = 0; i < n; i++) {
      const row = i * width;
      for (let j = 0; j < width; j++) {
        let sum = y[row + j] as number;
        for (let k = 0; k < j; k++) sum -= (q[k] as number) * (l[j * width + k] as number);
        q[j] = sum / (l[j * width + j] ?? 1);
      }
      y.set(q, row);
    }
  }
  return y;
}

/** Eigen-decomposition of a symmetric matrix, largest eigenvalue first; vectors in columns. */
export function symmetricEigen(s: Float64Array, width: number): { values: number[]; vectors: Float64Array } {
  const rows = Array.from({ length: width }, (_, i) => Array.from(s.subarray(i * width, (i + 1) * width)));
  const decomposition = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true });
  const eigenvalues = decomposition.realEigenvalues;
  const eigenvectors = decomposition.eigenvectorMatrix;
  const order = [...eigenvalues.keys()].sort(
    (x, y) => (eigenvalues[y] as number) - (eigenvalues[x] as number),
  );
  const vectors = new Float64Array(width * width);
  order.forEach((from, to) => {
    for (let k = 0; k < width; k++) vectors[k * width + to] = eigenvectors.get(k, from);
  });
  return { values: order.map((i) => eigenvalues[i] as number), vectors };
}
