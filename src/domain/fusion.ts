/** One ranked list of ids from one retriever, best first. */
export type RankedList = string[];

export interface FusionParams {
  /** Reciprocal rank fusion constant: larger flattens the difference between top ranks. */
  k: number;
  /** Weight of each list, in the order given. */
  weights: number[];
}

/**
 * Keyword list first, semantic list at 0.3: tuned on the search dev set (`npm run tune:fusion`), where the
 * corpus-trained semantic model is weaker than BM25 alone but still adds what words miss.
 */
export const DEFAULT_FUSION: FusionParams = { k: 5, weights: [1, 0.3] };

export interface FusedHit {
  id: string;
  score: number;
  /** Which lists found it, by index. */
  foundBy: number[];
}

/** Reciprocal rank fusion: score = Σ weight / (k + rank), rank from 1; ties broken by id for a stable order. */
export function fuseRankings(lists: RankedList[], params: FusionParams = DEFAULT_FUSION): FusedHit[] {
  const hits = new Map<string, FusedHit>();
  lists.forEach((list, listIndex) => {
    const weight = params.weights[listIndex] ?? 1;
    list.forEach((id, position) => {
      const hit = hits.get(id) ?? { id, score: 0, foundBy: [] };
      hit.score += weight / (params.k + position + 1);
      hit.foundBy.push(listIndex);
      hits.set(id, hit);
    });
  });
  return [...hits.values()].sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
}

export interface BoostInput {
  upvotes: number;
  /** Age of the paper in days (listing or arXiv date). */
  ageDays: number | null;
}

const MAX_POPULARITY = 0.3;
const MAX_RECENCY = 0.2;
/** No boost is larger: a hit cannot overtake one whose score is this many times its own. */
export const MAX_BOOST = 1 + MAX_POPULARITY + MAX_RECENCY;

/**
 * Optional nudge for popular and recent papers: at most about +30 % for a heavily upvoted paper and +20 % for
 * one from this week, so relevance still leads.
 */
export function boostFactor({ upvotes, ageDays }: BoostInput): number {
  const popularity = 0.05 * Math.log2(1 + Math.max(0, upvotes));
  const recency = ageDays === null ? 0 : MAX_RECENCY * 2 ** (-Math.max(0, ageDays) / 30);
  return 1 + Math.min(popularity, MAX_POPULARITY) + recency;
}
