import type { RecommendPaper } from './contract.ts';
import type { FeatureVector } from './sparse-vector.ts';
import { forEachTermHash, hashString, nameKey } from './term-hashing.ts';

/** How much each kind of evidence weighs: the Euclidean norm of its block in a paper's feature vector. */
export interface FeatureWeights {
  text: number;
  vector: number;
  authors: number;
  organization: number;
  /** Authors of a paper beyond this many are left out (a collaboration's list of thousands says little). */
  maxAuthors: number;
}

const TEXT_SLOTS = 1 << 20;
const AUTHOR_SLOTS = 1 << 18;
const ORGANIZATION_SLOTS = 1 << 14;
const AUTHOR_SALT = 0x5a17;
const ORGANIZATION_SALT = 0x0c9a;

/**
 * The features of a set of papers. The sparse part's columns are the hashed words and bigrams, authors and
 * organizations that at least two of the papers share, numbered from 0 to `sparseDimensions` for this set only (a
 * small weight vector stays in the processor's cache); the paper's vector (dense) is kept apart.
 */
export interface FeatureSet {
  features: FeatureVector[];
  sparseDimensions: number;
}

/** A usable vector: finite values, not all zero. */
export function usableVector(vector: Float32Array | null | undefined): vector is Float32Array {
  if (!(vector instanceof Float32Array) || vector.length === 0) return false;
  let nonZero = false;
  for (let d = 0; d < vector.length; d++) {
    const v = vector[d] ?? 0;
    if (!Number.isFinite(v)) return false;
    if (v !== 0) nonZero = true;
  }
  return nonZero;
}

/** The vector length most papers have: papers embedded by another model (another length) go without. */
export function commonVectorLength(papers: readonly RecommendPaper[]): number {
  const counts = new Map<number, number>();
  for (const paper of papers)
    if (paper.vector instanceof Float32Array && paper.vector.length > 0)
      counts.set(paper.vector.length, (counts.get(paper.vector.length) ?? 0) + 1);
  let best = 0;
  let bestCount = 0;
  for (const [length, count] of counts)
    if (count > bestCount || (count === bestCount && length < best)) [best, bestCount] = [length, count];
  return best;
}

function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** The loose keys of a paper's authors, at most `max`, without repeats or empty names. */
export function authorKeys(authors: readonly string[], max: number): string[] {
  const keys = new Set<string>();
  for (const author of authors) {
    if (keys.size >= max) break;
    const key = nameKey(author);
    if (key) keys.add(key);
  }
  return [...keys];
}

/** What a paper's text and names come to, before weighting: depends on the paper alone, so it is remembered. */
interface PaperTerms {
  title: string;
  abstract: string;
  authors: string[];
  organization: string;
  maxAuthors: number;
  /** Hashed word and bigram slots, ascending, and how often each occurs. */
  slot: Int32Array;
  count: Int32Array;
  /** Author slots, ascending, within the author block. */
  authorSlots: Int32Array;
  /** The organization's slot, or -1. */
  organizationSlot: number;
}

/**
 * Terms of recent papers, by id: every member's request ranks the same recent papers, so a web process reads each
 * of them once. An entry holds only while the paper's text and names are the same; the oldest go first.
 */
const knownTerms = new Map<string, PaperTerms>();
const MAX_KNOWN_PAPERS = 20_000;

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

function paperTerms(paper: RecommendPaper, maxAuthors: number): PaperTerms {
  const title = typeof paper.title === 'string' ? paper.title : '';
  const abstract = typeof paper.abstract === 'string' ? paper.abstract : '';
  const authors = stringsOf(paper.authors);
  const organization = typeof paper.organization === 'string' ? paper.organization : '';
  const known = knownTerms.get(paper.id);
  if (
    known &&
    known.title === title &&
    known.abstract === abstract &&
    known.organization === organization &&
    known.maxAuthors === maxAuthors &&
    sameStrings(known.authors, authors)
  )
    return known;
  const organizationKey = nameKey(organization);
  const terms: PaperTerms = {
    title,
    abstract,
    authors,
    organization,
    maxAuthors,
    ...countTerms(title, abstract),
    authorSlots: Int32Array.from(
      new Set(
        authorKeys(authors, maxAuthors).map((key) => hashString(key, AUTHOR_SALT) & (AUTHOR_SLOTS - 1)),
      ),
    ).sort(),
    organizationSlot: organizationKey
      ? hashString(organizationKey, ORGANIZATION_SALT) & (ORGANIZATION_SLOTS - 1)
      : -1,
  };
  knownTerms.delete(paper.id);
  if (knownTerms.size >= MAX_KNOWN_PAPERS) {
    const oldest = knownTerms.keys().next().value;
    if (oldest !== undefined) knownTerms.delete(oldest);
  }
  knownTerms.set(paper.id, terms);
  return terms;
}

/** The hashed slots of a text's words and bigrams with their counts, slots ascending. */
function countTerms(title: string, abstract: string): { slot: Int32Array; count: Int32Array } {
  // A text of n characters has fewer than n words and n bigrams.
  let slots = new Int32Array(Math.max(16, title.length + abstract.length + 2));
  let length = 0;
  const add = (hash: number) => {
    if (length === slots.length) {
      const grown = new Int32Array(slots.length * 2);
      grown.set(slots);
      slots = grown;
    }
    slots[length++] = hash & (TEXT_SLOTS - 1);
  };
  forEachTermHash(title, add);
  forEachTermHash(abstract, add);
  const sorted = slots.subarray(0, length).sort();
  let distinct = 0;
  for (let p = 0; p < length; p++) if (p === 0 || sorted[p] !== sorted[p - 1]) distinct++;
  const slot = new Int32Array(distinct);
  const count = new Int32Array(distinct);
  let d = -1;
  for (let p = 0; p < length; p++) {
    if (p === 0 || sorted[p] !== sorted[p - 1]) slot[++d] = sorted[p] ?? 0;
    count[d] = (count[d] ?? 0) + 1;
  }
  return { slot, count };
}

/** How many of the papers have each word or bigram, author and organization slot. */
function slotFrequencies(terms: readonly PaperTerms[]): {
  documentFrequency: Int32Array;
  authorFrequency: Int32Array;
  organizationFrequency: Int32Array;
} {
  const documentFrequency = new Int32Array(TEXT_SLOTS);
  const authorFrequency = new Int32Array(AUTHOR_SLOTS);
  const organizationFrequency = new Int32Array(ORGANIZATION_SLOTS);
  for (const { slot, authorSlots, organizationSlot } of terms) {
    for (let p = 0; p < slot.length; p++)
      documentFrequency[slot[p] ?? 0] = (documentFrequency[slot[p] ?? 0] ?? 0) + 1;
    for (let p = 0; p < authorSlots.length; p++)
      authorFrequency[authorSlots[p] ?? 0] = (authorFrequency[authorSlots[p] ?? 0] ?? 0) + 1;
    if (organizationSlot >= 0)
      organizationFrequency[organizationSlot] = (organizationFrequency[organizationSlot] ?? 0) + 1;
  }
  return { documentFrequency, authorFrequency, organizationFrequency };
}

/** The paper's vector when it has the set's length and is usable, else null. */
function denseVector(paper: RecommendPaper, vectorDimensions: number): Float32Array | null {
  const vector = paper.vector;
  return vectorDimensions > 0 && vector?.length === vectorDimensions && usableVector(vector) ? vector : null;
}

function denseNorm(dense: Float32Array): number {
  let sum = 0;
  for (let d = 0; d < dense.length; d++) sum += (dense[d] ?? 0) ** 2;
  return Math.sqrt(sum);
}

/**
 * The features of a set of papers, in their order. Word weights are TF-IDF (sublinear tf) with document
 * frequencies counted over these papers; a word only one paper has counts in its norm and is left out of it.
 */
export function paperFeatures(
  papers: readonly RecommendPaper[],
  vectorDimensions: number,
  weights: FeatureWeights,
): FeatureSet {
  const terms = papers.map((paper) => paperTerms(paper, weights.maxAuthors));
  const { documentFrequency, authorFrequency, organizationFrequency } = slotFrequencies(terms);
  // Column numbers plus one (0: no column yet), given in order of first use.
  const textColumn = new Int32Array(TEXT_SLOTS);
  const authorColumn = new Int32Array(AUTHOR_SLOTS);
  const organizationColumn = new Int32Array(ORGANIZATION_SLOTS);
  let columns = 0;
  const columnOf = (table: Int32Array, slot: number) => {
    const known = table[slot] ?? 0;
    if (known > 0) return known - 1;
    table[slot] = ++columns;
    return columns - 1;
  };
  const n = papers.length;
  const idf = Float64Array.from({ length: n + 2 }, (_, df) => Math.log((1 + n) / (1 + df)) + 1);
  const logTf = Float64Array.from({ length: 64 }, (_, tf) => 1 + Math.log(Math.max(tf, 1)));
  const tfWeight = (tf: number) => (tf < 64 ? (logTf[tf] ?? 1) : 1 + Math.log(tf));

  // One allocation for every paper's sparse part (many small typed arrays cost far more).
  const sizes = terms.map(({ slot, authorSlots, organizationSlot }) => {
    let shared = 0;
    for (let p = 0; p < slot.length; p++) if ((documentFrequency[slot[p] ?? 0] ?? 0) >= 2) shared++;
    for (let p = 0; p < authorSlots.length; p++)
      if ((authorFrequency[authorSlots[p] ?? 0] ?? 0) >= 2) shared++;
    if (organizationSlot >= 0 && (organizationFrequency[organizationSlot] ?? 0) >= 2) shared++;
    return shared;
  });
  const total = sizes.reduce((sum, size) => sum + size, 0);
  const allIndex = new Int32Array(total);
  const allValue = new Float32Array(total);
  let at = 0;
  const features = papers.map((paper, k): FeatureVector => {
    const { slot, count, authorSlots, organizationSlot } = terms[k] as PaperTerms;
    const start = at;
    let norm = 0;
    for (let p = 0; p < slot.length; p++) {
      const weight = tfWeight(count[p] ?? 1) * (idf[documentFrequency[slot[p] ?? 0] ?? 1] ?? 0);
      norm += weight * weight;
    }
    const textScale = norm > 0 ? weights.text / Math.sqrt(norm) : 0;
    for (let p = 0; p < slot.length; p++) {
      const df = documentFrequency[slot[p] ?? 0] ?? 1;
      if (df < 2) continue;
      allIndex[at] = columnOf(textColumn, slot[p] ?? 0);
      allValue[at++] = tfWeight(count[p] ?? 1) * (idf[df] ?? 0) * textScale;
    }
    const each = weights.authors / Math.sqrt(authorSlots.length || 1);
    for (let p = 0; p < authorSlots.length; p++) {
      const author = authorSlots[p] ?? 0;
      if ((authorFrequency[author] ?? 0) < 2) continue;
      allIndex[at] = columnOf(authorColumn, author);
      allValue[at++] = each;
    }
    if (organizationSlot >= 0 && (organizationFrequency[organizationSlot] ?? 0) >= 2) {
      allIndex[at] = columnOf(organizationColumn, organizationSlot);
      allValue[at++] = weights.organization;
    }
    const dense = denseVector(paper, vectorDimensions);
    return {
      dense,
      denseScale: dense ? weights.vector / denseNorm(dense) : 0,
      sparse: { index: allIndex.subarray(start, at), value: allValue.subarray(start, at) },
    };
  });
  return { features, sparseDimensions: columns };
}
