import { VectorArena } from './vector-arena.ts';

/** Gives the event loop a turn every few milliseconds, so a server keeps answering during a long build. */
export function pauser(everyMs = 10): () => Promise<void> | undefined {
  let last = performance.now();
  return () => {
    const now = performance.now();
    if (now - last < everyMs) return undefined;
    last = now;
    return new Promise((resolve) => setImmediate(resolve));
  };
}

/** The position among `first … first + count - 1` whose centroid scores best against the vector. */
export function nearest(centroids: VectorArena, vector: Float32Array, first = 0, count = centroids.length) {
  let best = first;
  let bestScore = Number.NEGATIVE_INFINITY;
  centroids.scan(vector, first, count, (position, score) => {
    if (score > bestScore) {
      bestScore = score;
      best = position;
    }
  });
  return { position: best, score: bestScore };
}

/** Spherical k-means (unit centroids, dot product) on `count` vectors; returns the centroids and each vector's. */
async function kMeans(
  vectorAt: (index: number) => Float32Array,
  count: number,
  k: number,
  iterations: number,
  pause: () => Promise<void> | undefined,
): Promise<{ centroids: VectorArena; assignment: Int32Array }> {
  const dimensions = vectorAt(0).length;
  const centroids = new VectorArena(dimensions, 'float32');
  // Deterministic start: vectors spread evenly over the input.
  for (let c = 0; c < k; c++) centroids.push(vectorAt(Math.floor((c * count) / k)));
  const assignment = new Int32Array(count);
  const sums = new Float64Array(k * dimensions);
  const centroid = new Float32Array(dimensions);
  for (let iteration = 0; iteration < iterations; iteration++) {
    sums.fill(0);
    for (let i = 0; i < count; i++) {
      const vector = vectorAt(i);
      const c = nearest(centroids, vector).position;
      assignment[i] = c;
      const offset = c * dimensions;
      for (let d = 0; d < dimensions; d++)
        sums[offset + d] = (sums[offset + d] as number) + (vector[d] as number);
      await pause();
    }
    for (let c = 0; c < k; c++) {
      let norm = 0;
      for (let d = 0; d < dimensions; d++) norm += (sums[c * dimensions + d] as number) ** 2;
      if (norm === 0) continue; // an empty cluster keeps its centroid
      norm = Math.sqrt(norm);
      for (let d = 0; d < dimensions; d++) centroid[d] = (sums[c * dimensions + d] as number) / norm;
      centroids.write(c, centroid);
    }
  }
  return { centroids, assignment };
}

export interface Centroids {
  /** The partitions' centroids (float32, unit length). */
  fine: VectorArena;
  /** Nearest partition of a vector, found through the coarse level: near-exact at a fraction of the work. */
  assign(vector: Float32Array): number;
}

/**
 * Centroids for about `lists` partitions, from a sample, in two levels so that both training and assigning
 * millions of vectors stay cheap: √lists coarse clusters by k-means, then each coarse cluster split by k-means
 * into its share of the lists. A vector is assigned among the fine centroids of its `assignAmong` nearest coarse
 * ones (at 2.7M vectors, comparing with all 3,287 centroids instead took 6× longer for the same recall).
 */
export async function trainCentroids(
  sample: (index: number) => Float32Array,
  sampleSize: number,
  lists: number,
  iterations: number,
  pause: () => Promise<void> | undefined,
  assignAmong: number,
): Promise<Centroids> {
  const coarseCount = Math.max(1, Math.min(sampleSize, Math.round(Math.sqrt(lists))));
  const coarse = await kMeans(sample, sampleSize, coarseCount, iterations, pause);
  const members: number[][] = Array.from({ length: coarseCount }, () => []);
  coarse.assignment.forEach((c, index) => members[c]?.push(index));
  const fine = new VectorArena(coarse.centroids.dimensions, 'float32');
  const firstFine = new Int32Array(coarseCount + 1);
  for (let c = 0; c < coarseCount; c++) {
    firstFine[c] = fine.length;
    const group = members[c] as number[];
    if (group.length === 0) continue;
    const k = Math.max(1, Math.min(group.length, Math.round((lists * group.length) / sampleSize)));
    const split = await kMeans((index) => sample(group[index] as number), group.length, k, iterations, pause);
    for (let f = 0; f < k; f++) fine.push(split.centroids.read(f));
  }
  firstFine[coarseCount] = fine.length;
  const coarseScores = new Float32Array(coarseCount);
  return {
    fine,
    assign(vector) {
      coarse.centroids.scan(vector, 0, coarseCount, (c, score) => {
        coarseScores[c] = score;
      });
      let best = { position: 0, score: Number.NEGATIVE_INFINITY };
      for (let turn = 0; turn < Math.min(assignAmong, coarseCount); turn++) {
        let c = 0;
        for (let other = 1; other < coarseCount; other++) {
          if ((coarseScores[other] as number) > (coarseScores[c] as number)) c = other;
        }
        coarseScores[c] = Number.NEGATIVE_INFINITY;
        const from = firstFine[c] as number;
        const candidate = nearest(fine, vector, from, (firstFine[c + 1] as number) - from);
        if (candidate.score > best.score) best = candidate;
      }
      return best.position;
    },
  };
}
