import type { FeatureVector } from './sparse-vector.ts';

/** How many liked papers, the closest by their sparse features, are compared in full. */
const SHORTLIST = 40;

/**
 * Finds, for a candidate, the liked paper whose features are closest (largest dot product). The sparse parts are
 * an inverted index (column → the liked papers having it), so a candidate meets only the papers sharing a word,
 * author or organization with it; the dense parts (one flat matrix, pre-scaled) are compared for the closest of
 * those only.
 */
export class MostSimilar<T> {
  /** Column c's postings are liked[start[c]..start[c+1]) with their values. */
  private readonly start: Int32Array;
  private readonly postingLiked: Int32Array;
  private readonly postingValue: Float32Array;
  private readonly dense: Float32Array;
  private readonly dimensions: number;
  private readonly hasDense: Uint8Array;
  private readonly scores: Float64Array;

  constructor(
    private readonly liked: readonly { x: FeatureVector; item: T }[],
    columns: number,
  ) {
    this.dimensions = liked.find((entry) => entry.x.dense)?.x.dense?.length ?? 0;
    this.dense = new Float32Array(liked.length * this.dimensions);
    this.hasDense = new Uint8Array(liked.length);
    this.scores = new Float64Array(liked.length);
    this.start = new Int32Array(columns + 1);
    for (const { x } of liked)
      for (let p = 0; p < x.sparse.index.length; p++) {
        const column = x.sparse.index[p] ?? 0;
        this.start[column + 1] = (this.start[column + 1] ?? 0) + 1;
      }
    for (let c = 0; c < columns; c++) this.start[c + 1] = (this.start[c + 1] ?? 0) + (this.start[c] ?? 0);
    this.postingLiked = new Int32Array(this.start[columns] ?? 0);
    this.postingValue = new Float32Array(this.postingLiked.length);
    const next = this.start.slice(0, columns);
    liked.forEach(({ x }, k) => {
      const { index, value } = x.sparse;
      for (let p = 0; p < index.length; p++) {
        const at = next[index[p] ?? 0] ?? 0;
        next[index[p] ?? 0] = at + 1;
        this.postingLiked[at] = k;
        this.postingValue[at] = value[p] ?? 0;
      }
      if (x.dense && x.dense.length === this.dimensions) {
        this.hasDense[k] = 1;
        const row = k * this.dimensions;
        for (let d = 0; d < this.dimensions; d++) this.dense[row + d] = (x.dense[d] ?? 0) * x.denseScale;
      }
    });
  }

  /** The liked item most like the candidate and its score, or null when none is alike at all. */
  of(candidate: FeatureVector): { item: T; score: number } | null {
    const scores = this.scores;
    scores.fill(0);
    const { index, value } = candidate.sparse;
    for (let p = 0; p < index.length; p++) {
      const column = index[p] ?? 0;
      const v = value[p] ?? 0;
      const end = this.start[column + 1] ?? 0;
      for (let q = this.start[column] ?? 0; q < end; q++) {
        const k = this.postingLiked[q] ?? 0;
        scores[k] = (scores[k] ?? 0) + v * (this.postingValue[q] ?? 0);
      }
    }
    const dense = candidate.dense;
    const scaled =
      dense && dense.length === this.dimensions
        ? Float32Array.from(dense, (v) => v * candidate.denseScale)
        : null;
    let best = -1;
    let bestScore = 0;
    for (const k of this.shortlist()) {
      const score = (scores[k] ?? 0) + (scaled ? this.denseDot(k, scaled) : 0);
      if (score > bestScore || (score === bestScore && best >= 0 && k < best)) [best, bestScore] = [k, score];
    }
    const item = this.liked[best]?.item;
    return item !== undefined ? { item, score: bestScore } : null;
  }

  /**
   * The liked papers worth the dense comparison: those whose shared words, authors or organization score highest
   * (a paper sharing none with the candidate rarely wins), or all when none shares any.
   */
  private shortlist(): number[] {
    const scores = this.scores;
    const sharing: number[] = [];
    for (let k = 0; k < scores.length; k++) if ((scores[k] ?? 0) > 0) sharing.push(k);
    if (sharing.length === 0) return Array.from({ length: scores.length }, (_, k) => k);
    if (sharing.length <= SHORTLIST) return sharing;
    return sharing.sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0) || a - b).slice(0, SHORTLIST);
  }

  private denseDot(k: number, scaled: Float32Array): number {
    if (!this.hasDense[k]) return 0;
    const row = k * this.dimensions;
    let sum = 0;
    for (let d = 0; d < this.dimensions; d++) sum += (this.dense[row + d] ?? 0) * (scaled[d] ?? 0);
    return sum;
  }
}
