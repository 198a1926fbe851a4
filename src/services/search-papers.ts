import { boostFactor, MAX_BOOST } from '../domain/fusion.ts';
import type { Paper } from '../domain/paper.ts';
import {
  DEFAULT_SCORE_FUSION,
  type FusedHit,
  fuseScores,
  meaningWeightFor,
  type ScoredHit,
  type ScoreFusion,
} from '../domain/score-fusion.ts';
import { hasText, parseSearchQuery, queryText, type SearchQuery } from '../domain/search-query.ts';
import { type WordMatch, withWordsRequired, wordMatchOf } from '../domain/word-matching.ts';
import type { SemanticSearch } from '../search-index/semantic-search.ts';
import {
  compareMatches,
  type MatchCount,
  type MatchOrder,
  type SortedMatch,
} from '../store/search-matches.ts';
import type { Store } from '../store/store.ts';
import type { KeptResults, SearchResultsCache } from './search-results-cache.ts';

export type SearchSort = 'relevance' | 'newest' | 'upvotes';

export interface SearchOptions {
  limit: number;
  offset: number;
  sort?: SearchSort;
  /** Nudge recent and upvoted papers up in relevance order (on by default). */
  boost?: boolean;
  /** Which retrievers to use; both by default. */
  mode?: 'hybrid' | 'keyword' | 'semantic';
  /** How words and meaning are weighed in relevance order (the site's configuration, or the API's). */
  fusion?: ScoreFusion;
  now?: Date;
}

export interface SearchHit {
  paper: Paper;
  /** Why it was found. */
  keyword: boolean;
  semantic: boolean;
}

export interface SearchResults {
  query: SearchQuery;
  hits: SearchHit[];
  /** Papers matched by words or by meaning; a lower bound when `totalExact` is false. */
  total: number;
  totalExact: boolean;
}

/** Papers nearest in meaning taken as the semantic side's matches, and the keyword side's least candidates. */
const CANDIDATES = 200;
/** Matches by words are counted exactly up to this many; beyond, the total says "more than". */
export const COUNT_BOUND = 10_000;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

function ageInDays(day: string | null, now: Date): number | null {
  const noon = day ? Date.parse(`${day}T12:00:00Z`) : Number.NaN;
  return Number.isNaN(noon) ? null : (now.getTime() - noon) / 86_400_000;
}

/** How the query's words match (all of a short query's words, else any), and how many papers they match. */
async function wordMatches(
  store: Store,
  query: SearchQuery,
  first: WordMatch,
): Promise<{ match: WordMatch; count: MatchCount }> {
  const count = await store.searchMatches.count(query, first, COUNT_BOUND);
  // No paper has all the words: the papers with any of them.
  if (first === 'all' && count.count === 0)
    return { match: 'any', count: await store.searchMatches.count(query, 'any', COUNT_BOUND) };
  return { match: first, count };
}

/**
 * Hybrid search over exact match sets: the papers matched by words (see WordMatch) and the papers nearest in
 * meaning (up to CANDIDATES, passing the same filters). Relevance order fuses the keyword and semantic scores
 * (normalized BM25 and cosine, meaning weighed by the query's length and the configuration), optionally nudged by upvotes and recency; newest and most-upvoted order every match. A query naming an
 * arXiv paper returns that paper. Throws SearchQueryError for a query it cannot use.
 */
export async function searchPapers(
  deps: { store: Store; semantic?: SemanticSearch | null; cache?: SearchResultsCache | null },
  input: string,
  options: SearchOptions,
): Promise<SearchResults> {
  const { store, semantic, cache } = deps;
  const query = parseSearchQuery(input);
  if (query.paperId) return namedPaper(store, query, query.paperId, options.offset);
  const find = () => findPage(store, semantic, query, options);
  // Results by words alone while the meaning side gets ready are not kept.
  const settled = semantic?.ready !== false && !semantic?.preparing;
  const found =
    cache && settled ? await cache.results(resultsKey(input, options, semantic), find) : await find();
  const hits = await pageHits(store, found);
  return { query: found.query, hits, total: found.total, totalExact: found.totalExact };
}

/** What a page of results depends on besides the data: the query, the options and the model searched with. */
function resultsKey(input: string, options: SearchOptions, semantic?: SemanticSearch | null): string {
  const { limit, offset, sort, boost, mode, fusion, now } = options;
  return JSON.stringify([input, limit, offset, sort, boost, mode, fusion, now, semantic?.model]);
}

/**
 * The papers nearest in meaning, searched on the event loop's next turn. The semantic search runs on this thread and
 * holds it for its whole scan, while the store ranks and counts words on another thread or server: the words asked
 * before it have gone out by then, and both sides work at once.
 */
function nearestInMeaning(
  semantic: SemanticSearch | null | undefined,
  query: SearchQuery,
): ReturnType<SemanticSearch['search']> {
  if (!semantic) return Promise.resolve([]);
  const nearest = nextTurn().then(() => semantic.search(queryText(query), CANDIDATES));
  nearest.catch(() => {});
  return nearest;
}

/** A page of results (ids and why each was found) and the total, as searchPapers describes. */
async function findPage(
  store: Store,
  semanticSearch: SemanticSearch | null | undefined,
  query: SearchQuery,
  options: SearchOptions,
): Promise<KeptResults> {
  const mode = options.mode ?? 'hybrid';
  const useKeyword = mode !== 'semantic' || !hasText(query);
  const semantic =
    mode !== 'keyword' && hasText(query) && semanticSearch?.ready !== false ? semanticSearch : null;
  const sort = options.sort ?? 'relevance';
  const wanted = options.offset + options.limit;

  const rank = (how: WordMatch) =>
    useKeyword && sort === 'relevance'
      ? store.papers.keywordSearch(
          how === 'all' ? withWordsRequired(query) : query,
          Math.max(CANDIDATES, wanted),
        )
      : Promise.resolve([]);
  // The words first (the ranking for the likely word match with the count), then the meaning: see nearestInMeaning.
  const likely = wordMatchOf(query);
  const likelyRanking = rank(likely);
  likelyRanking.catch(() => {});
  // Meaning alone counts its own hits: the words only label them.
  const counted = useKeyword
    ? wordMatches(store, query, likely)
    : Promise.resolve({ match: likely, count: { count: 0, exact: true } });
  const nearestPromise = nearestInMeaning(semantic, query);
  const { match, count } = await counted;
  const [keywordHits, sortedMatches, nearest] = await Promise.all([
    match === likely ? likelyRanking : rank(match),
    useKeyword && sort !== 'relevance' ? store.searchMatches.sorted(query, match, sort, wanted) : [],
    nearestPromise,
  ]);
  const listed = new Set([...keywordHits, ...sortedMatches].map((found) => found.id));
  const withWords = wordChecker(store, query, match);
  // Which papers found by meaning have the words too: all of them where the total or the order depends on it,
  // else only the page's (for their labels; a total capped at the bound is a lower bound either way).
  const checkAll = useKeyword && (sort !== 'relevance' || count.exact);
  const { semanticIds, allWithWords } = await meaningHits(store, query, nearest, listed, withWords, checkAll);
  const inSemantic = new Set(semanticIds);
  const meaningOnly = allWithWords
    ? semanticIds.filter((id) => !listed.has(id) && !allWithWords.has(id))
    : [];
  const total = useKeyword ? count.count + meaningOnly.length : semanticIds.length;

  const { pageIds, dropped } =
    sort === 'relevance'
      ? await relevancePage(
          store,
          keywordHits,
          nearest.filter((hit) => inSemantic.has(hit.id)),
          meaningWeightFor(query.words, options.fusion ?? DEFAULT_SCORE_FUSION, semantic?.quality),
          options,
        )
      : {
          pageIds: await sortedPage(
            store,
            sort,
            sortedMatches,
            useKeyword ? meaningOnly : semanticIds,
            options,
          ),
          dropped: 0,
        };
  const byWords =
    allWithWords ?? (await withWords(pageIds.filter((id) => inSemantic.has(id) && !listed.has(id))));
  return {
    query,
    pageIds,
    foundBy: pageIds.map((id) => ({
      keyword: listed.has(id) || byWords.has(id),
      semantic: inSemantic.has(id),
    })),
    total: total - dropped,
    totalExact: !useKeyword || count.exact,
  };
}

/** Which of some papers have the query's words as `match` takes them (none for a query without text). */
function wordChecker(
  store: Store,
  query: SearchQuery,
  match: WordMatch,
): (ids: string[]) => Promise<Set<string>> {
  return (ids) =>
    ids.length > 0 && hasText(query)
      ? store.searchMatches.matching(ids, query, match)
      : Promise.resolve(new Set<string>());
}

/**
 * The papers found by meaning that pass the query's filters, in order (keyword hits pass them already; the others
 * go through the store's filter, which also drops hidden papers), and, if `checkAll`, which of those not listed by
 * words have the words too.
 */
async function meaningHits(
  store: Store,
  query: SearchQuery,
  nearest: Array<{ id: string }>,
  listed: Set<string>,
  withWords: (ids: string[]) => Promise<Set<string>>,
  checkAll: boolean,
): Promise<{ semanticIds: string[]; allWithWords: Set<string> | null }> {
  const unchecked = nearest.filter((hit) => !listed.has(hit.id)).map((hit) => hit.id);
  const [allowed, allWithWords] = await Promise.all([
    unchecked.length > 0 ? store.papers.filterSearchHits(unchecked, query) : new Set<string>(),
    checkAll ? withWords(unchecked) : null,
  ]);
  const semanticIds = nearest.map((hit) => hit.id).filter((id) => listed.has(id) || allowed.has(id));
  return { semanticIds, allWithWords };
}

/** A page in relevance order: words and meaning fused, nudged by upvotes and recency unless `boost` is off. */
async function relevancePage(
  store: Store,
  keywordHits: ScoredHit[],
  nearest: ScoredHit[],
  meaningWeight: number,
  options: SearchOptions,
): Promise<{ pageIds: string[]; dropped: number }> {
  const wanted = options.offset + options.limit;
  const fused = fuseScores(keywordHits, nearest, meaningWeight);
  const ordered =
    options.boost === false
      ? { hits: fused, dropped: 0 }
      : await boosted(store, fused, wanted, options.now ?? new Date());
  return {
    pageIds: ordered.hits.slice(options.offset, wanted).map((hit) => hit.id),
    dropped: ordered.dropped,
  };
}

/** A query naming an arXiv paper finds that paper (on the first page), when it is here and shown. */
async function namedPaper(
  store: Store,
  query: SearchQuery,
  paperId: string,
  offset: number,
): Promise<SearchResults> {
  const paper = await store.papers.getPaper(paperId);
  const hits = paper && !paper.hidden ? [{ paper, keyword: true, semantic: false }] : [];
  return { query, hits: offset === 0 ? hits : [], total: hits.length, totalExact: true };
}

/** The page's papers in the page's order, hidden ones left out, each with why it was found. */
async function pageHits(store: Store, { pageIds, foundBy }: KeptResults): Promise<SearchHit[]> {
  const papers = new Map((await store.papers.getPapers(pageIds)).map((paper) => [paper.id, paper]));
  return pageIds.flatMap((id, index) => {
    const paper = papers.get(id);
    const why = foundBy[index] ?? { keyword: false, semantic: false };
    return paper && !paper.hidden ? [{ paper, ...why }] : [];
  });
}

/**
 * A page of every match in newest or most-upvoted order: the first matches by words in that order (from the
 * store, over all of them) merged with the papers matched by meaning only.
 */
async function sortedPage(
  store: Store,
  sort: MatchOrder,
  byWords: SortedMatch[],
  meaningOnly: string[],
  options: SearchOptions,
): Promise<string[]> {
  const signals = meaningOnly.length > 0 ? await store.papers.searchSignals(meaningOnly) : new Map();
  const others = meaningOnly.flatMap((id): SortedMatch[] => {
    const signal = signals.get(id);
    return signal && !signal.hidden ? [{ id, upvotes: signal.upvotes, day: signal.day }] : [];
  });
  return [...byWords, ...others]
    .sort((a, b) => compareMatches(sort, a, b))
    .slice(options.offset, options.offset + options.limit)
    .map((found) => found.id);
}

/**
 * Relevance nudged by upvotes and recency. Signals are read for a growing prefix of the fused list only: once
 * `wanted` hits score at least MAX_BOOST times the next fused score, nothing further down can reach the page.
 */
async function boosted(
  store: Store,
  fused: FusedHit[],
  wanted: number,
  now: Date,
): Promise<{ hits: FusedHit[]; dropped: number }> {
  const scored: Array<{ hit: FusedHit; score: number }> = [];
  let read = 0;
  let batch = Math.max(2 * wanted, 40);
  while (read < fused.length) {
    const next = fused.slice(read, read + batch);
    const signals = await store.papers.searchSignals(next.map((hit) => hit.id));
    for (const hit of next) {
      const signal = signals.get(hit.id);
      if (!signal || signal.hidden) continue;
      const factor = boostFactor({ upvotes: signal.upvotes, ageDays: ageInDays(signal.day, now) });
      scored.push({ hit, score: hit.score * factor });
    }
    read += next.length;
    batch *= 2;
    const bound = (fused[read]?.score ?? 0) * MAX_BOOST;
    if (scored.filter((entry) => entry.score >= bound).length >= wanted) break;
  }
  // Stable: equal scores keep the fused order, which also puts any hit not read after those that were.
  scored.sort((a, b) => b.score - a.score);
  const rest = fused.slice(read);
  return { hits: [...scored.map((entry) => entry.hit), ...rest], dropped: read - scored.length };
}
