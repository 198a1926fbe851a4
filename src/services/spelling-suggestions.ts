// "Did you mean": a query's rare words corrected to the nearest common words of the site's own keyword index.
import { distance } from 'fastest-levenshtein';
import type { SearchQuery } from '../domain/search-query.ts';
import { textWords } from '../domain/search-query.ts';
import { allowedEdits, isLetterWord, MIN_SUGGESTED_PAPERS, needsCorrection } from '../domain/spelling.ts';
import type { Store } from '../store/store.ts';

/** How often the vocabulary is read again at most, when the papers changed: reading it reads the whole index. */
const REFRESH_MS = 15 * 60_000;
/** Papers read to learn how a term is written (the index keeps stems: "transform" for "transformer"). */
const SAMPLE_PAPERS = 200;
/** Terms nearest a word whose written forms are looked at. */
const CANDIDATE_TERMS = 3;
/** A stem is at most this many letters shorter than its word ("ation" → "ate" → ""). */
const STRIPPED_SUFFIX = 5;
const WRITTEN_CACHE_SIZE = 1_000;
const TERM_CACHE_SIZE = 20_000;

interface SiteWords {
  /** The index's terms in MIN_SUGGESTED_PAPERS papers or more, with their counts of papers. */
  papers: Map<string, number>;
  /** Suggestible terms (letters only) by length, and by first letter. */
  byLength: Map<number, string[]>;
  byInitial: Map<string, string[]>;
  /** Written forms of terms looked at, with how many of the sampled papers hold each. */
  written: Map<string, Promise<Map<string, number>>>;
  /** Query words' terms looked up, so that a search with common words asks the store nothing. */
  termOf: Map<string, string | null>;
  version: string;
  readAt: number;
}

function pushTo<K>(map: Map<K, string[]>, key: K, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The keyword index's vocabulary, as the suggestions look it up. */
async function readWords(store: Store): Promise<SiteWords> {
  const version = await store.dataVersion();
  const terms = await store.indexWords.vocabulary(MIN_SUGGESTED_PAPERS);
  const papers = new Map<string, number>();
  const byLength = new Map<number, string[]>();
  const byInitial = new Map<string, string[]>();
  for (const { term, papers: count } of terms) {
    papers.set(term, count);
    if (!isLetterWord(term)) continue;
    pushTo(byLength, term.length, term);
    pushTo(byInitial, term[0], term);
  }
  return { papers, byLength, byInitial, written: new Map(), termOf: new Map(), version, readAt: Date.now() };
}

const read = new WeakMap<Store, { words: SiteWords | null; reading: Promise<SiteWords> | null }>();

/** Reads the site's words from its keyword index now unless a read is on its way; resolves when they are read. */
export async function countSiteWords(store: Store): Promise<void> {
  await startReading(store);
}

function startReading(store: Store): Promise<SiteWords> {
  const state = read.get(store) ?? { words: null, reading: null };
  read.set(store, state);
  if (state.reading) return state.reading;
  const reading = readWords(store).finally(() => {
    state.reading = null;
  });
  state.reading = reading;
  reading.then(
    (words) => {
      state.words = words;
    },
    () => {},
  );
  return reading;
}

/**
 * The site's words, or null until they are first read (in the background: a search should not wait for it). Read
 * again when the papers changed and the last read is older than REFRESH_MS.
 */
async function siteWords(store: Store): Promise<SiteWords | null> {
  const state = read.get(store);
  const words = state?.words ?? null;
  if (!words) {
    startReading(store).catch(() => {});
    return null;
  }
  if (Date.now() - words.readAt >= REFRESH_MS && (await store.dataVersion()) !== words.version) {
    words.readAt = Date.now();
    startReading(store).catch(() => {});
  }
  return words;
}

/**
 * Suggestible terms near a word: the commonest within its edits of its own term, then those a stem of a correct
 * spelling could be, longest first: near the word's beginning of their length (a typo in "studyng" keeps it from
 * becoming "studi", as "studying" does, and "reasonning" ends up far from "reason").
 */
function nearestTerms(word: string, term: string, edits: number, words: SiteWords): string[] {
  const byStem: Array<[string, number]> = [];
  for (let length = term.length - edits; length <= term.length + edits; length++)
    for (const candidate of words.byLength.get(length) ?? []) {
      const apart = distance(term, candidate);
      if (apart <= edits && candidate !== term) byStem.push([candidate, apart]);
    }
  const papers = (candidate: string) => words.papers.get(candidate) ?? 0;
  byStem.sort((a, b) => a[1] - b[1] || papers(b[0]) - papers(a[0]));
  const byBeginning: Array<[string, number]> = [];
  for (const candidate of words.byInitial.get(word[0] ?? '') ?? []) {
    if (candidate.length > word.length || candidate.length < word.length - STRIPPED_SUFFIX) continue;
    const apart = distance(word.slice(0, candidate.length), candidate);
    if (apart <= edits) byBeginning.push([candidate, apart]);
  }
  byBeginning.sort((a, b) => b[0].length - a[0].length || a[1] - b[1] || papers(b[0]) - papers(a[0]));
  const nearest = [...byStem.slice(0, CANDIDATE_TERMS), ...byBeginning.slice(0, CANDIDATE_TERMS)];
  return [...new Set(nearest.map(([candidate]) => candidate))];
}

/** How a term is written in papers indexed under it: their words that the index stores as the term. */
async function writtenForms(store: Store, term: string): Promise<Map<string, number>> {
  const texts = await store.indexWords.textsWithTerm(term, SAMPLE_PAPERS);
  const inPapers = new Map<string, number>();
  // A stem keeps its word's beginning: only words beginning as the term does can be written forms of it.
  const start = term.slice(0, 2);
  for (const text of texts)
    for (const word of new Set(textWords(text)))
      if (word.startsWith(start) && word.length >= term.length - 1 && isLetterWord(word))
        inPapers.set(word, (inPapers.get(word) ?? 0) + 1);
  const words = [...inPapers.keys()];
  const terms = await store.indexWords.terms(words);
  return new Map(
    words.filter((_, index) => terms[index] === term).map((word) => [word, inPapers.get(word) ?? 0]),
  );
}

function cachedWrittenForms(store: Store, term: string, words: SiteWords): Promise<Map<string, number>> {
  let forms = words.written.get(term);
  if (!forms) {
    if (words.written.size >= WRITTEN_CACHE_SIZE) words.written.clear();
    forms = writtenForms(store, term);
    words.written.set(term, forms);
    forms.catch(() => words.written.delete(term));
  }
  return forms;
}

/** The words' terms, from the cache or the store. */
async function termsOf(store: Store, typed: string[], words: SiteWords): Promise<Array<string | null>> {
  const unknown = typed.filter((word) => !words.termOf.has(word));
  if (unknown.length > 0) {
    const terms = await store.indexWords.terms(unknown);
    if (words.termOf.size + unknown.length > TERM_CACHE_SIZE) words.termOf.clear();
    unknown.forEach((word, index) => {
      words.termOf.set(word, terms[index] ?? null);
    });
  }
  return typed.map((word) => words.termOf.get(word) ?? null);
}

/** The written word nearest the query word (then the commonest) among the near terms' forms, or null. */
async function correction(
  store: Store,
  word: string,
  term: string,
  words: SiteWords,
): Promise<string | null> {
  const edits = allowedEdits(word);
  let best: { word: string; edits: number; papers: number } | null = null;
  for (const candidate of nearestTerms(word, term, edits, words)) {
    for (const [form, papers] of await cachedWrittenForms(store, candidate, words)) {
      const apart = distance(word, form);
      if (apart === 0 || apart > edits) continue;
      if (!best || apart < best.edits || (apart === best.edits && papers > best.papers))
        best = { word: form, edits: apart, papers };
    }
  }
  return best?.word ?? null;
}

/**
 * "Did you mean" (none until the site's words are first read, see `countSiteWords`): the query text with each of
 * its words that is in fewer than MIN_SUGGESTED_PAPERS papers (as the keyword index counts them) replaced by the
 * nearest common word of the site's papers one or two letters away, or null when no word was replaced.
 */
export async function suggestSpelling(
  store: Store,
  text: string,
  query: SearchQuery,
): Promise<string | null> {
  if (query.paperId || query.words.length === 0) return null;
  const words = await siteWords(store);
  if (!words) return null;
  const typed = [...new Set(query.words)].filter((word) => needsCorrection(word, 0));
  // A suggestion is a bonus: a store too busy for its reads (the lane of costly searches full) leaves a search
  // without one rather than failing it.
  const terms = await termsOf(store, typed, words).catch(() => null);
  if (!terms) return null;
  let suggestion = text;
  for (const [index, word] of typed.entries()) {
    const term = terms[index];
    if (!term || !needsCorrection(word, words.papers.get(term) ?? 0)) continue;
    const nearest = await correction(store, word, term, words).catch(() => null);
    if (!nearest) continue;
    const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    suggestion = suggestion.replace(
      new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'giu'),
      nearest,
    );
  }
  return suggestion === text ? null : suggestion;
}
