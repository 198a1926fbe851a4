// "Did you mean": a query's rare words corrected to the nearest common words of the site's own papers.
import { distance } from 'fastest-levenshtein';
import type { SearchQuery } from '../domain/search-query.ts';
import { textWords } from '../domain/search-query.ts';
import { allowedEdits, MIN_SUGGESTED_PAPERS, needsCorrection, type WordCounts } from '../domain/spelling.ts';
import type { Store } from '../store/store.ts';

const PAGE = 2_000;
/** How often the words are counted again at most, when the papers changed: counting reads every paper. */
const REFRESH_MS = 15 * 60_000;

interface SiteWords {
  counts: WordCounts;
  /** Suggestible words (letters only, in MIN_SUGGESTED_PAPERS papers or more) by length. */
  byLength: Map<number, string[]>;
  version: string;
  countedAt: number;
}

/** Every word of every paper's title and abstract with the number of papers it is in. */
async function countWords(store: Store): Promise<SiteWords> {
  const version = await store.dataVersion();
  const counts = new Map<string, number>();
  for (let after = 0; ; ) {
    const papers = await store.vectors.listPaperTexts(after, PAGE);
    if (papers.length === 0) break;
    for (const paper of papers)
      for (const word of new Set(textWords(`${paper.title} ${paper.abstract}`)))
        counts.set(word, (counts.get(word) ?? 0) + 1);
    after = papers[papers.length - 1]?.position ?? after;
  }
  const byLength = new Map<number, string[]>();
  for (const [word, count] of counts) {
    if (count < MIN_SUGGESTED_PAPERS || !/^\p{L}+$/u.test(word)) continue;
    const sameLength = byLength.get(word.length);
    if (sameLength) sameLength.push(word);
    else byLength.set(word.length, [word]);
  }
  return { counts, byLength, version, countedAt: Date.now() };
}

const counted = new WeakMap<Store, { words: SiteWords | null; counting: Promise<SiteWords> | null }>();

/** Counts the site's words now unless a count is on its way; resolves when the words are counted. */
export async function countSiteWords(store: Store): Promise<void> {
  await startCounting(store);
}

function startCounting(store: Store): Promise<SiteWords> {
  const state = counted.get(store) ?? { words: null, counting: null };
  counted.set(store, state);
  if (state.counting) return state.counting;
  const counting = countWords(store).finally(() => {
    state.counting = null;
  });
  state.counting = counting;
  counting.then(
    (words) => {
      state.words = words;
    },
    () => {},
  );
  return counting;
}

/**
 * The site's words, or null until they are first counted (in the background: counting reads every paper, which
 * a search should not wait for). Counted again when the papers changed and the count is older than REFRESH_MS.
 */
async function siteWords(store: Store): Promise<SiteWords | null> {
  const state = counted.get(store);
  const words = state?.words ?? null;
  if (!words) {
    startCounting(store).catch(() => {});
    return null;
  }
  if (Date.now() - words.countedAt >= REFRESH_MS && (await store.dataVersion()) !== words.version) {
    words.countedAt = Date.now();
    startCounting(store).catch(() => {});
  }
  return words;
}

/** The commonest site word within the word's allowed edits (fewest edits first), or null. */
function nearestWord(word: string, words: SiteWords): string | null {
  const edits = allowedEdits(word);
  let best: { word: string; edits: number; papers: number } | null = null;
  for (let length = word.length - edits; length <= word.length + edits; length++) {
    for (const candidate of words.byLength.get(length) ?? []) {
      const apart = distance(word, candidate);
      if (apart === 0 || apart > edits) continue;
      const papers = words.counts.get(candidate) ?? 0;
      if (!best || apart < best.edits || (apart === best.edits && papers > best.papers))
        best = { word: candidate, edits: apart, papers };
    }
  }
  return best?.word ?? null;
}

/**
 * "Did you mean" (none until the site's words are first counted, see `countSiteWords`): the query text with each of its words that is in fewer than MIN_SUGGESTED_PAPERS papers replaced by
 * the commonest word of the site's papers one or two letters away, or null when no word was replaced.
 */
export async function suggestSpelling(
  store: Store,
  text: string,
  query: SearchQuery,
): Promise<string | null> {
  if (query.paperId || query.words.length === 0) return null;
  const words = await siteWords(store);
  if (!words) return null;
  let suggestion = text;
  for (const word of new Set(query.words)) {
    if (!needsCorrection(word, words.counts)) continue;
    const nearest = nearestWord(word, words);
    if (!nearest) continue;
    const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    suggestion = suggestion.replace(
      new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'giu'),
      nearest,
    );
  }
  return suggestion === text ? null : suggestion;
}
