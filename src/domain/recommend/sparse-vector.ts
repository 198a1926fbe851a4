/** A sparse vector: distinct indices (in any order) and their values. */
export interface SparseVector {
  index: Int32Array;
  value: Float32Array;
}

/** w·x for a dense w. */
export function dotDense(weights: Float64Array, x: SparseVector): number {
  let sum = 0;
  for (let p = 0; p < x.index.length; p++) sum += (weights[x.index[p] ?? 0] ?? 0) * (x.value[p] ?? 0);
  return sum;
}

/** w += scale·x for a dense w. */
export function addScaled(weights: Float64Array, x: SparseVector, scale: number): void {
  for (let p = 0; p < x.index.length; p++) {
    const i = x.index[p] ?? 0;
    weights[i] = (weights[i] ?? 0) + scale * (x.value[p] ?? 0);
  }
}

export function squaredNorm(x: SparseVector): number {
  let sum = 0;
  for (let p = 0; p < x.value.length; p++) sum += (x.value[p] ?? 0) ** 2;
  return sum;
}

/** A feature vector in two parts: an optional dense vector times a scale, and a sparse vector. */
export interface FeatureVector {
  dense: Float32Array | null;
  denseScale: number;
  sparse: SparseVector;
}

/** Weights for feature vectors: the dense part's (as long as the dense vectors) and the sparse part's. */
export interface FeatureWeightsVector {
  dense: Float64Array;
  sparse: Float64Array;
}

// The solver's inner loops: indexes come from the vectors themselves (in range), so reads are cast, not defaulted.
export function dotFeatures(weights: FeatureWeightsVector, x: FeatureVector): number {
  const index = x.sparse.index;
  const value = x.sparse.value;
  const sparse = weights.sparse;
  let sum = 0;
  for (let p = 0; p < index.length; p++) sum += (sparse[index[p] as number] as number) * (value[p] as number);
  const dense = x.dense;
  const w = weights.dense;
  if (dense && dense.length === w.length) {
    let part = 0;
    for (let d = 0; d < dense.length; d++) part += (w[d] as number) * (dense[d] as number);
    sum += part * x.denseScale;
  }
  return sum;
}

export function addScaledFeatures(weights: FeatureWeightsVector, x: FeatureVector, scale: number): void {
  const index = x.sparse.index;
  const value = x.sparse.value;
  const sparse = weights.sparse;
  for (let p = 0; p < index.length; p++) {
    const i = index[p] as number;
    sparse[i] = (sparse[i] as number) + scale * (value[p] as number);
  }
  const dense = x.dense;
  const w = weights.dense;
  if (dense && dense.length === w.length) {
    const s = scale * x.denseScale;
    for (let d = 0; d < dense.length; d++) w[d] = (w[d] as number) + s * (dense[d] as number);
  }
}

export function squaredFeatureNorm(x: FeatureVector): number {
  let sum = squaredNorm(x.sparse);
  if (x.dense) {
    let part = 0;
    for (let d = 0; d < x.dense.length; d++) part += (x.dense[d] ?? 0) ** 2;
    sum += part * x.denseScale * x.denseScale;
  }
  return sum;
}
