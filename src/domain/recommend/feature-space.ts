import type { RecommendPaper } from './contract.ts';
import {
  AUTHOR_SLOTS,
  commonVectorLength,
  type FeatureWeights,
  ORGANIZATION_SLOTS,
  type PaperTerms,
  paperTerms,
  TEXT_SLOTS,
  usableVector,
} from './paper-features.ts';
import type { FeatureVector } from './sparse-vector.ts';

/** Projections remembered per space (signals and background samples come back request after request). */
const MAX_PROJECTIONS = 20_000;

interface Projection {
  terms: PaperTerms;
  vector: Float32Array | null;
  x: FeatureVector;
}

function denseNorm(dense: Float32Array): number {
  let sum = 0;
  for (let d = 0; d < dense.length; d++) sum += (dense[d] ?? 0) ** 2;
  return Math.sqrt(sum);
}

let spaces = 0;

/**
 * The feature space of a set of candidates, shared by every member who ranks them. Its sparse columns are the
 * hashed words and bigrams, authors and organizations the candidates have (a word no candidate has cannot change
 * a candidate's score); word weights are TF-IDF (sublinear tf) with document frequencies counted over the
 * candidates. Any other paper (a signal, a background sample) is projected into it: its words outside the space
 * count in its norm only.
 */
export class FeatureSpace {
  /** Distinct per space, so that what is learned in one is never taken for another's. */
  readonly id = ++spaces;
  readonly candidates: readonly RecommendPaper[];
  readonly sparseDimensions: number;
  /** The length of the vectors the candidates have, and how much of each the features use. */
  private readonly fullVectorLength: number;
  readonly vectorLength: number;
  private readonly candidateTerms: readonly PaperTerms[];
  private readonly candidateVectors: readonly (Float32Array | null)[];
  /** Slot → column + 1 (0: not in the space). */
  private readonly textColumn = new Int32Array(TEXT_SLOTS);
  private readonly authorColumn = new Int32Array(AUTHOR_SLOTS);
  private readonly organizationColumn = new Int32Array(ORGANIZATION_SLOTS);
  /** The IDF of each text column, and of a word no candidate has. */
  private readonly idf: Float64Array;
  private readonly unseenIdf: number;
  private readonly projections = new Map<string, Projection>();

  constructor(
    candidates: readonly RecommendPaper[],
    private readonly weights: FeatureWeights,
  ) {
    this.candidates = candidates;
    this.candidateTerms = candidates.map((paper) => paperTerms(paper, weights.maxAuthors));
    this.candidateVectors = candidates.map((paper) => paper.vector ?? null);
    this.fullVectorLength = commonVectorLength(candidates);
    this.vectorLength = Math.min(this.fullVectorLength, Math.max(0, Math.floor(weights.maxVectorDimensions)));
    const documentFrequency: number[] = [];
    let columns = 0;
    const columnOf = (table: Int32Array, slot: number) => {
      const known = table[slot] ?? 0;
      if (known > 0) return known - 1;
      table[slot] = ++columns;
      documentFrequency.push(0);
      return columns - 1;
    };
    for (const { slot, authorSlots, organizationSlot } of this.candidateTerms) {
      for (let p = 0; p < slot.length; p++) {
        const column = columnOf(this.textColumn, slot[p] ?? 0);
        documentFrequency[column] = (documentFrequency[column] ?? 0) + 1;
      }
      for (let p = 0; p < authorSlots.length; p++) columnOf(this.authorColumn, authorSlots[p] ?? 0);
      if (organizationSlot >= 0) columnOf(this.organizationColumn, organizationSlot);
    }
    this.sparseDimensions = columns;
    const n = candidates.length;
    this.idf = Float64Array.from(documentFrequency, (df) => Math.log((1 + n) / (1 + df)) + 1);
    this.unseenIdf = Math.log(1 + n) + 1;
    candidates.forEach((paper, k) => {
      this.featuresOf(paper, this.candidateTerms[k]);
    });
  }

  /** Whether these candidates (same papers, same texts and vectors, same weights) are the ones of this space. */
  describes(candidates: readonly RecommendPaper[], weights: FeatureWeights): boolean {
    if (candidates.length !== this.candidates.length || !sameWeights(weights, this.weights)) return false;
    for (let k = 0; k < candidates.length; k++) {
      const paper = candidates[k];
      if (!paper || !sameVector(paper.vector ?? null, this.candidateVectors[k] ?? null)) return false;
      if (paperTerms(paper, weights.maxAuthors) !== this.candidateTerms[k]) return false;
    }
    return true;
  }

  /** A paper's features in this space (a candidate's own, or a projection), remembered by paper. */
  featuresOf(paper: RecommendPaper, known?: PaperTerms): FeatureVector {
    const terms = known ?? paperTerms(paper, this.weights.maxAuthors);
    const vector = paper.vector ?? null;
    const remembered = this.projections.get(paper.id);
    if (remembered && remembered.terms === terms && sameVector(remembered.vector, vector))
      return remembered.x;
    const x = this.project(terms, vector);
    if (this.projections.size >= MAX_PROJECTIONS + this.candidates.length) this.projections.clear();
    this.projections.set(paper.id, { terms, vector, x });
    return x;
  }

  private project(terms: PaperTerms, vector: Float32Array | null): FeatureVector {
    const { slot, count, authorSlots, organizationSlot } = terms;
    const index = new Int32Array(slot.length + authorSlots.length + 1);
    const value = new Float32Array(index.length);
    let norm = 0;
    for (let p = 0; p < slot.length; p++) {
      const column = (this.textColumn[slot[p] ?? 0] ?? 0) - 1;
      const weight = tfWeight(count[p] ?? 1) * (column >= 0 ? (this.idf[column] ?? 0) : this.unseenIdf);
      norm += weight * weight;
    }
    const textScale = norm > 0 ? this.weights.text / Math.sqrt(norm) : 0;
    let at = 0;
    for (let p = 0; p < slot.length; p++) {
      const column = (this.textColumn[slot[p] ?? 0] ?? 0) - 1;
      if (column < 0) continue;
      index[at] = column;
      value[at++] = tfWeight(count[p] ?? 1) * (this.idf[column] ?? 0) * textScale;
    }
    const each = this.weights.authors / Math.sqrt(authorSlots.length || 1);
    for (let p = 0; p < authorSlots.length; p++) {
      const column = (this.authorColumn[authorSlots[p] ?? 0] ?? 0) - 1;
      if (column < 0) continue;
      index[at] = column;
      value[at++] = each;
    }
    const organization = organizationSlot >= 0 ? (this.organizationColumn[organizationSlot] ?? 0) - 1 : -1;
    if (organization >= 0) {
      index[at] = organization;
      value[at++] = this.weights.organization;
    }
    const usable =
      this.vectorLength > 0 && vector?.length === this.fullVectorLength
        ? vector.subarray(0, this.vectorLength)
        : null;
    const dense = usable && usableVector(usable) ? usable : null;
    return {
      dense,
      denseScale: dense ? this.weights.vector / denseNorm(dense) : 0,
      sparse: { index: index.slice(0, at), value: value.slice(0, at) },
    };
  }
}

const LOG_TF = Float64Array.from({ length: 64 }, (_, tf) => 1 + Math.log(Math.max(tf, 1)));

function tfWeight(tf: number): number {
  return tf < 64 ? (LOG_TF[tf] ?? 1) : 1 + Math.log(tf);
}

/** The same vector, or an equal copy of it (read again from the database). */
export function sameVector(a: Float32Array | null, b: Float32Array | null): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  for (let d = 0; d < a.length; d++) if (!Object.is(a[d], b[d])) return false;
  return true;
}

function sameWeights(a: FeatureWeights, b: FeatureWeights): boolean {
  return (
    a === b ||
    (a.text === b.text &&
      a.vector === b.vector &&
      a.authors === b.authors &&
      a.organization === b.organization &&
      a.maxAuthors === b.maxAuthors &&
      a.maxVectorDimensions === b.maxVectorDimensions)
  );
}

/** The last spaces built, newest last: a web process ranks the same recent papers for every member. */
const recentSpaces: FeatureSpace[] = [];
const MAX_SPACES = 4;

/** The space of these candidates: the one built for them before when they have not changed, else a new one. */
export function featureSpace(candidates: readonly RecommendPaper[], weights: FeatureWeights): FeatureSpace {
  const found = recentSpaces.find((space) => space.describes(candidates, weights));
  if (found) return found;
  const space = new FeatureSpace(candidates, weights);
  recentSpaces.push(space);
  if (recentSpaces.length > MAX_SPACES) recentSpaces.shift();
  return space;
}
