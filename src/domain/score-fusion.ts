/** A retriever's hit: a larger score is a better match (BM25 for words, cosine for meaning). */
export interface ScoredHit {
  id: string;
  score: number;
}

export interface ScoreFusion {
  /**
   * How much meaning counts beside words (weight 1) for a query of natural-language length; shorter and
   * identifier-like queries get less of it (see `meaningWeightFor`). 0 ranks by words alone.
   */
  meaningWeight: number;
}

/**
 * Chosen on the SciFact dev claims and the Hugging Face known-item queries (`npm run tune:fusion`); see
 * docs/benchmarks.md for the evidence.
 */
export const DEFAULT_SCORE_FUSION: ScoreFusion = { meaningWeight: 0.2 };

/** A query of this many words or more is natural language: meaning gets its full weight. */
const SENTENCE_WORDS = 8;

/**
 * A model that finds held-out papers from their titles (MRR@10, embeddings/model-quality.ts) at least this well
 * gets meaning's full weight; one at NO_WEIGHT_QUALITY or below gets none, in between in proportion. Measured on
 * the SciFact dev corpus (docs/benchmarks.md): the default model scores 0.965 there (semantic nDCG@10 0.596), a
 * 64-dimension one 0.908 (0.335), a 16-dimension one 0.629 (0.144); the score is high for any model that works.
 */
export const FULL_WEIGHT_QUALITY = 0.95;
export const NO_WEIGHT_QUALITY = 0.6;

/** The share of meaning's weight a model of this measured quality earns: 1 when unmeasured (a service's model). */
export function qualityShare(quality: number | undefined): number {
  if (quality === undefined || Number.isNaN(quality)) return 1;
  const share = (quality - NO_WEIGHT_QUALITY) / (FULL_WEIGHT_QUALITY - NO_WEIGHT_QUALITY);
  return Math.min(1, Math.max(0, share));
}

/**
 * The weight of meaning for one query: full for a sentence, a fifth of it for one word, none for an identifier
 * (a token with digits and letters, like "gpt4", "2405", "llama3", which a model trained on words cannot know);
 * scaled by the model's measured quality (`qualityShare`).
 */
export function meaningWeightFor(words: string[], fusion: ScoreFusion, quality?: number): number {
  const weight = fusion.meaningWeight * qualityShare(quality);
  if (words.length === 0) return weight;
  const identifiers = words.filter((word) => /\d/.test(word)).length;
  if (identifiers === words.length) return 0;
  const length = Math.min(1, 0.2 + (0.8 * (words.length - 1)) / (SENTENCE_WORDS - 1));
  return weight * length * (1 - identifiers / words.length);
}

export interface FusedHit {
  id: string;
  score: number;
  /** Which lists found it: 0 words, 1 meaning. */
  foundBy: number[];
}

/**
 * Score-level fusion: each list's scores scaled to [0, 1] (BM25 by the best score, as 0 means no match; cosine
 * from the list's lowest to its highest, as the lowest kept is still a weak match), then added with the weights.
 * A hit one list did not return gets 0 from it. Ties by id, for a stable order.
 */
export function fuseScores(words: ScoredHit[], meaning: ScoredHit[], meaningWeight: number): FusedHit[] {
  const hits = new Map<string, FusedHit>();
  const add = (list: ScoredHit[], index: number, weight: number, scale: (score: number) => number) => {
    for (const hit of list) {
      const fused = hits.get(hit.id) ?? { id: hit.id, score: 0, foundBy: [] };
      fused.score += weight * scale(hit.score);
      fused.foundBy.push(index);
      hits.set(hit.id, fused);
    }
  };
  const best = Math.max(0, ...words.map((hit) => hit.score));
  add(words, 0, 1, (score) => (best > 0 ? score / best : 1));
  const scores = meaning.map((hit) => hit.score);
  const [low, high] = [Math.min(...scores), Math.max(...scores)];
  add(meaning, 1, meaningWeight, (score) => (high > low ? (score - low) / (high - low) : 1));
  return [...hits.values()].sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
}
