/** Rounds of assignment and update: enough for clusters that pick a paper's field, not for exact optima. */
const ROUNDS = 12;

/** The dot product of centroid `c` (a row of `dimensions`) with the first `dimensions` values of `vector`. */
function centroidScore(centroids: Float32Array, c: number, dimensions: number, vector: Float32Array): number {
  let score = 0;
  for (let d = 0; d < dimensions; d++)
    score += (centroids[c * dimensions + d] as number) * (vector[d] as number);
  return score;
}

/** The index of the centroid (unit rows of `dimensions`) with the largest dot product with `vector`. */
export function nearestCentroid(centroids: Float32Array, dimensions: number, vector: Float32Array): number {
  let best = 0;
  let bestScore = Number.NEGATIVE_INFINITY;
  for (let c = 0; c * dimensions < centroids.length; c++) {
    const score = centroidScore(centroids, c, dimensions, vector);
    if (score > bestScore) {
      bestScore = score;
      best = c;
    }
  }
  return best;
}

/** The `count` centroids nearest `vector`, nearest first. */
export function nearestCentroids(
  centroids: Float32Array,
  dimensions: number,
  vector: Float32Array,
  count: number,
): number[] {
  return Array.from({ length: centroids.length / dimensions }, (_, c) => ({
    cluster: c,
    score: centroidScore(centroids, c, dimensions, vector),
  }))
    .sort((a, b) => b.score - a.score)
    .slice(0, count)
    .map((entry) => entry.cluster);
}

/**
 * Spherical k-means of unit vectors (rows of `dimensions`): `clusters` unit centroids and each row's cluster.
 * Deterministic: the centroids start at rows spread evenly over the collection.
 */
export function sphericalKMeans(
  vectors: Float32Array,
  dimensions: number,
  clusters: number,
): { centroids: Float32Array; assignment: Int32Array } {
  const rows = vectors.length / dimensions;
  const centroids = new Float32Array(clusters * dimensions);
  for (let c = 0; c < clusters; c++) {
    const row = Math.floor((c * rows) / clusters);
    centroids.set(vectors.subarray(row * dimensions, (row + 1) * dimensions), c * dimensions);
  }
  const assignment = new Int32Array(rows);
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < rows; i++)
      assignment[i] = nearestCentroid(
        centroids,
        dimensions,
        vectors.subarray(i * dimensions, (i + 1) * dimensions),
      );
    const sums = new Float64Array(clusters * dimensions);
    for (let i = 0; i < rows; i++) {
      const out = (assignment[i] as number) * dimensions;
      for (let d = 0; d < dimensions; d++)
        sums[out + d] = (sums[out + d] as number) + (vectors[i * dimensions + d] as number);
    }
    for (let c = 0; c < clusters; c++) {
      let norm = 0;
      for (let d = 0; d < dimensions; d++) norm += (sums[c * dimensions + d] as number) ** 2;
      // An empty cluster keeps its centroid.
      if (norm === 0) continue;
      norm = Math.sqrt(norm);
      for (let d = 0; d < dimensions; d++)
        centroids[c * dimensions + d] = (sums[c * dimensions + d] as number) / norm;
    }
  }
  return { centroids, assignment };
}
