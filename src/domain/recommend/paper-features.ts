import type { RecommendPaper } from './contract.ts';
import { forEachTermHash, hashString, nameKey } from './term-hashing.ts';

/** How much each kind of evidence weighs: the Euclidean norm of its block in a paper's feature vector. */
export interface FeatureWeights {
  text: number;
  vector: number;
  authors: number;
  organization: number;
  /** Authors of a paper beyond this many are left out (a collaboration's list of thousands says little). */
  maxAuthors: number;
  /**
   * A vector's leading dimensions used, at most: the site's model orders them by how much they tell (LSA), and
   * the solver reads every one of them for every example on every pass.
   */
  maxVectorDimensions: number;
}

export const TEXT_SLOTS = 1 << 20;
export const AUTHOR_SLOTS = 1 << 18;
export const ORGANIZATION_SLOTS = 1 << 14;
const AUTHOR_SALT = 0x5a17;
const ORGANIZATION_SALT = 0x0c9a;

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
export interface PaperTerms {
  title: string;
  abstract: string;
  authors: string[];
  organization: string;
  maxAuthors: number;
  /** Hashed word and bigram slots, ascending, and how often each occurs. */
  slot: Int32Array;
  count: Int32Array;
  /** The first `maxAuthors` distinct authors' name keys, and their slots (ascending, within the author block). */
  authorKeys: string[];
  authorSlots: Int32Array;
  /** The organization's name key ('' when none). */
  organizationKey: string;
  /** The organization's slot, or -1. */
  organizationSlot: number;
}

/**
 * Terms of recent papers, by id: every member's request ranks the same recent papers, so a web process reads each
 * of them once. An entry holds only while the paper's text and names are the same; the oldest go first.
 */
const knownTerms = new Map<string, PaperTerms>();
const MAX_KNOWN_PAPERS = 20_000;

export function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

export function paperTerms(paper: RecommendPaper, maxAuthors: number): PaperTerms {
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
  const keys = authorKeys(authors, maxAuthors);
  const terms: PaperTerms = {
    title,
    abstract,
    authors,
    organization,
    maxAuthors,
    ...countTerms(title, abstract),
    authorKeys: keys,
    authorSlots: Int32Array.from(
      new Set(keys.map((key) => hashString(key, AUTHOR_SALT) & (AUTHOR_SLOTS - 1))),
    ).sort(),
    organizationKey,
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
