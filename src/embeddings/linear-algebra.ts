// Dense and sparse linear algebra for a randomized truncated SVD (row-major Float64Array matrices).

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

/** Aᵀ·Y: (columns × rows) times (rows × width). */
export function multiplyTransposed(a: SparseMatrix, y: Float64Array, width: number): Float64Array {
  const z = new Float64Array(a.columns * width);
  addProducts(a, y, z, width, true);
  return z;
}

/** Yᵀ·Y for Y of n rows and `width` columns. */
export function gram(y: Float64Array, n: number, width: number): Float64Array {
  const g = new Float64Array(width * width);
  for (let i = 0; i < n; i++) {
    const row = y.subarray(i * width, (i + 1) * width);
    for (let a = 0; a < width; a++) {
      const ya = row[a] as number;
      if (ya === 0) continue;
      const out = a * width;
      for (let b = a; b < width; b++) g[out + b] = (g[out + b] as number) + ya * (row[b] as number);
    }
  }
  for (let a = 0; a < width; a++) for (let b = 0; b < a; b++) g[a * width + b] = g[b * width + a] as number;
  return g;
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

/** Eigen-decomposition of a symmetric matrix (cyclic Jacobi), largest eigenvalue first; vectors in columns. */
export function symmetricEigen(s: Float64Array, width: number): { values: number[]; vectors: Float64Array } {
  const a = Float64Array.from(s);
  const v = new Float64Array(width * width);
  for (let i = 0; i < width; i++) v[i * width + i] = 1;
  const at = (i: number, j: number) => a[i * width + j] as number;
  for (let sweep = 0; sweep < 50; sweep++) {
    let off = 0;
    for (let p = 0; p < width; p++) for (let q = p + 1; q < width; q++) off += at(p, q) ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < width; p++) {
      for (let q = p + 1; q < width; q++) {
        const apq = at(p, q);
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (at(q, q) - at(p, p)) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const sn = t * c;
        for (let k = 0; k < width; k++) {
          const akp = at(k, p);
          const akq = at(k, q);
          a[k * width + p] = c * akp - sn * akq;
          a[k * width + q] = sn * akp + c * akq;
        }
        for (let k = 0; k < width; k++) {
          const apk = at(p, k);
          const aqk = at(q, k);
          a[p * width + k] = c * apk - sn * aqk;
          a[q * width + k] = sn * apk + c * aqk;
        }
        for (let k = 0; k < width; k++) {
          const vkp = v[k * width + p] as number;
          const vkq = v[k * width + q] as number;
          v[k * width + p] = c * vkp - sn * vkq;
          v[k * width + q] = sn * vkp + c * vkq;
        }
      }
    }
  }
  const order = [...Array(width).keys()].sort((x, y) => at(y, y) - at(x, x));
  const vectors = new Float64Array(width * width);
  order.forEach((from, to) => {
    for (let k = 0; k < width; k++) vectors[k * width + to] = v[k * width + from] as number;
  });
  return { values: order.map((i) => at(i, i)), vectors };
}
