import {
  boostFactor,
  DEFAULT_FUSION,
  type FusedHit,
  type FusionParams,
  fuseRankings,
  MAX_BOOST,
} from '../domain/fusion.ts';
import type { Paper } from '../domain/paper.ts';
import { hasText, parseSearchQuery, queryText, type SearchQuery } from '../domain/search-query.ts';
import type { SemanticSearch } from '../search-index/semantic-search.ts';
import type { SearchSignals } from '../store/papers.ts';
import type { Store } from '../store/store.ts';

export type SearchSort = 'relevance' | 'newest' | 'upvotes';

export interface SearchOptions {
  limit: number;
  offset: number;
  sort?: SearchSort;
  /** Nudge recent and upvoted papers up in relevance order (on by default). */
  boost?: boolean;
  /** Which retrievers to use; both by default. */
  mode?: 'hybrid' | 'keyword' | 'semantic';
  fusion?: FusionParams;
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
  total: number;
}

/** Candidates taken from each retriever before fusion and paging. */
const CANDIDATES = 200;

function ageInDays(day: string | null, now: Date): number | null {
  const noon = day ? Date.parse(`${day}T12:00:00Z`) : Number.NaN;
  return Number.isNaN(noon) ? null : (now.getTime() - noon) / 86_400_000;
}

/**
 * Hybrid search: keyword (BM25) and semantic (vector) lists fused by reciprocal rank, filtered by the query's
 * filters, then optionally nudged by upvotes and recency. A query naming an arXiv paper returns that paper.
 * Throws SearchQueryError for a query it cannot use.
 */
export async function searchPapers(
  deps: { store: Store; semantic?: SemanticSearch | null },
  input: string,
  options: SearchOptions,
): Promise<SearchResults> {
  const { store } = deps;
  const query = parseSearchQuery(input);
  if (query.paperId) {
    const paper = await store.papers.getPaper(query.paperId);
    const hits = paper && !paper.hidden ? [{ paper, keyword: true, semantic: false }] : [];
    return { query, hits: options.offset === 0 ? hits : [], total: hits.length };
  }
  const mode = options.mode ?? 'hybrid';
  const useKeyword = mode !== 'semantic' || !hasText(query);
  const semantic =
    mode !== 'keyword' && hasText(query) && deps.semantic?.ready !== false ? deps.semantic : null;

  // Both retrievers are asked before either is awaited: a store that answers from another process (PostgreSQL)
  // ranks while the semantic search runs here.
  const [keywordHits, nearest] = await Promise.all([
    useKeyword ? store.papers.keywordSearch(query, CANDIDATES) : [],
    semantic ? semantic.search(queryText(query), CANDIDATES) : [],
  ]);
  const keywordIds = keywordHits.map((hit) => hit.id);
  // Keyword hits pass the query's filters (and are visible) already; the semantic ones the keyword side did not
  // find go through the store's filter, which also drops hidden papers.
  const found = new Set(keywordIds);
  const unchecked = nearest.filter((hit) => !found.has(hit.id)).map((hit) => hit.id);
  const allowed =
    unchecked.length > 0 ? await store.papers.filterSearchHits(unchecked, query) : new Set<string>();
  const semanticIds = nearest.map((hit) => hit.id).filter((id) => found.has(id) || allowed.has(id));

  const fused = fuseRankings([keywordIds, semanticIds], options.fusion ?? DEFAULT_FUSION);
  const sort = options.sort ?? 'relevance';
  const wanted = options.offset + options.limit;
  const ordered =
    sort !== 'relevance'
      ? await sortedBySignal(store, fused, sort)
      : options.boost === false
        ? { hits: fused, dropped: 0 }
        : await boosted(store, fused, wanted, options.now ?? new Date());
  const page = ordered.hits.slice(options.offset, wanted);
  const papers = new Map(
    (await store.papers.getPapers(page.map((hit) => hit.id))).map((paper) => [paper.id, paper]),
  );
  const hits = page.flatMap((hit) => {
    const paper = papers.get(hit.id);
    return paper && !paper.hidden
      ? [{ paper, keyword: hit.foundBy.includes(0), semantic: hit.foundBy.includes(1) }]
      : [];
  });
  return { query, hits, total: fused.length - ordered.dropped };
}

/** Sorted by upvotes or date (ties in relevance order): every hit's signals are needed. */
async function sortedBySignal(
  store: Store,
  fused: FusedHit[],
  sort: 'newest' | 'upvotes',
): Promise<{ hits: FusedHit[]; dropped: number }> {
  const signals = await store.papers.searchSignals(fused.map((hit) => hit.id));
  const key = (signal: SearchSignals) =>
    sort === 'upvotes' ? signal.upvotes : Date.parse(signal.day ?? '') || 0;
  const kept = fused.flatMap((hit) => {
    const signal = signals.get(hit.id);
    return signal && !signal.hidden ? [{ hit, key: key(signal) }] : [];
  });
  kept.sort((a, b) => b.key - a.key);
  return { hits: kept.map((entry) => entry.hit), dropped: fused.length - kept.length };
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

/** Papers similar to one, from the same vectors; empty without a semantic index. */
export async function similarPapers(
  deps: { store: Store; semantic?: SemanticSearch | null },
  id: string,
  limit: number,
): Promise<Paper[]> {
  if (!deps.semantic) return [];
  const nearest = await deps.semantic.similar(id, limit * 2);
  const papers = await deps.store.papers.getPapers(nearest.map((hit) => hit.id));
  return papers.filter((paper) => !paper.hidden).slice(0, limit);
}
