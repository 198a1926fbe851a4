import type { FeatureVector } from './sparse-vector.ts';

/**
 * Finds, for a candidate, the liked paper whose features are closest (largest dot product). The sparse parts are
 * an inverted index (column → the liked papers having it), so a candidate meets only the papers sharing a word,
 * author or organization with it; the dense parts are one flat matrix, pre-scaled.
 */
export class MostSimilar<T> {
  private readonly postings = new Map<number, { liked: number[]; value: number[] }>();
  private readonly dense: Float32Array;
  private readonly dimensions: number;
  private readonly hasDense: Uint8Array;
  private readonly scores: Float64Array;

  constructor(private readonly liked: readonly { x: FeatureVector; item: T }[]) {
    this.dimensions = liked.find((entry) => entry.x.dense)?.x.dense?.length ?? 0;
    this.dense = new Float32Array(liked.length * this.dimensions);
    this.hasDense = new Uint8Array(liked.length);
    this.scores = new Float64Array(liked.length);
    liked.forEach(({ x }, k) => {
      const { index, value } = x.sparse;
      for (let p = 0; p < index.length; p++) {
        const column = index[p] ?? 0;
        let posting = this.postings.get(column);
        if (!posting) {
          posting = { liked: [], value: [] };
          this.postings.set(column, posting);
        }
        posting.liked.push(k);
        posting.value.push(value[p] ?? 0);
      }
      if (x.dense && x.dense.length === this.dimensions) {
        this.hasDense[k] = 1;
        const row = k * this.dimensions;
        for (let d = 0; d < this.dimensions; d++) this.dense[row + d] = (x.dense[d] ?? 0) * x.denseScale;
      }
    });
  }

  /** The liked item most like the candidate, or null when none is alike at all. */
  of(candidate: FeatureVector): T | null {
    const scores = this.scores;
    scores.fill(0);
    const { index, value } = candidate.sparse;
    for (let p = 0; p < index.length; p++) {
      const posting = this.postings.get(index[p] ?? 0);
      if (!posting) continue;
      const v = value[p] ?? 0;
      for (let q = 0; q < posting.liked.length; q++) {
        const k = posting.liked[q] ?? 0;
        scores[k] = (scores[k] ?? 0) + v * (posting.value[q] ?? 0);
      }
    }
    const dense = candidate.dense;
    const n = this.dimensions;
    if (dense && dense.length === n) {
      const scaled = Float32Array.from(dense, (v) => v * candidate.denseScale);
      for (let k = 0; k < this.liked.length; k++) {
        if (!this.hasDense[k]) continue;
        const row = k * n;
        let sum = 0;
        for (let d = 0; d < n; d++) sum += (this.dense[row + d] ?? 0) * (scaled[d] ?? 0);
        scores[k] = (scores[k] ?? 0) + sum;
      }
    }
    let best = -1;
    let bestScore = 0;
    for (let k = 0; k < scores.length; k++) {
      if ((scores[k] ?? 0) > bestScore) [best, bestScore] = [k, scores[k] ?? 0];
    }
    return best >= 0 ? (this.liked[best]?.item ?? null) : null;
  }
}
