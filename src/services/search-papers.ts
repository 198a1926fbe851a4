import {
  type BoostInput,
  boostFactor,
  DEFAULT_FUSION,
  type FusionParams,
  fuseRankings,
} from '../domain/fusion.ts';
import type { Paper } from '../domain/paper.ts';
import {
  hasFilters,
  hasText,
  parseSearchQuery,
  queryText,
  type SearchQuery,
} from '../domain/search-query.ts';
import type { Store } from '../store/store.ts';

/** Nearest papers by meaning; implemented by the vector index. */
export interface SemanticSearch {
  /** Papers closest to the text, best first. */
  search(text: string, limit: number): Promise<Array<{ id: string; score: number }>>;
  /** Papers closest to a paper (itself excluded), best first; empty when the paper has no vector yet. */
  similar(id: string, limit: number): Promise<Array<{ id: string; score: number }>>;
}

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
  return day ? (now.getTime() - Date.parse(`${day}T12:00:00Z`)) / 86_400_000 : null;
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
    const paper = await store.getPaper(query.paperId);
    const hits = paper && !paper.hidden ? [{ paper, keyword: true, semantic: false }] : [];
    return { query, hits: options.offset === 0 ? hits : [], total: hits.length };
  }
  const mode = options.mode ?? 'hybrid';
  const useKeyword = mode !== 'semantic' || !hasText(query);
  const useSemantic = mode !== 'keyword' && hasText(query) && deps.semantic;

  const keywordIds = useKeyword ? (await store.keywordSearch(query, CANDIDATES)).map((hit) => hit.id) : [];
  let semanticIds: string[] = [];
  if (useSemantic && deps.semantic) {
    const nearest = (await deps.semantic.search(queryText(query), CANDIDATES)).map((hit) => hit.id);
    // Hidden papers are dropped below with the signals; only real constraints need the store's filter.
    const constrained = hasFilters(query) || query.phrases.length > 0 || query.excluded.length > 0;
    const allowed = constrained ? await store.filterSearchHits(nearest, query) : null;
    semanticIds = allowed ? nearest.filter((id) => allowed.has(id)) : nearest;
  }
  const fused = fuseRankings([keywordIds, semanticIds], options.fusion ?? DEFAULT_FUSION);
  const signals = await store.searchSignals(fused.map((hit) => hit.id));
  const now = options.now ?? new Date();
  const sort = options.sort ?? 'relevance';
  const boost = options.boost !== false && sort === 'relevance';
  const ranked = fused
    .flatMap((hit) => {
      const signal = signals.get(hit.id);
      if (!signal || signal.hidden) return [];
      const score = boost
        ? hit.score * boostFactor({ upvotes: signal.upvotes, ageDays: ageInDays(signal.day, now) })
        : hit.score;
      return [{ hit, signal, score }];
    })
    .sort((a, b) => b.score - a.score);
  if (sort !== 'relevance') {
    const key = (entry: (typeof ranked)[number]) =>
      sort === 'upvotes' ? entry.signal.upvotes : Date.parse(entry.signal.day ?? '') || 0;
    ranked.sort((a, b) => key(b) - key(a));
  }
  const page = ranked.slice(options.offset, options.offset + options.limit);
  const papers = new Map(
    (await store.getPapers(page.map((entry) => entry.hit.id))).map((paper) => [paper.id, paper]),
  );
  const hits = page.flatMap(({ hit }) => {
    const paper = papers.get(hit.id);
    return paper ? [{ paper, keyword: hit.foundBy.includes(0), semantic: hit.foundBy.includes(1) }] : [];
  });
  return { query, hits, total: ranked.length };
}

/** Papers similar to one, from the same vectors; empty without a semantic index. */
export async function similarPapers(
  deps: { store: Store; semantic?: SemanticSearch | null },
  id: string,
  limit: number,
): Promise<Paper[]> {
  if (!deps.semantic) return [];
  const nearest = await deps.semantic.similar(id, limit * 2);
  const papers = await deps.store.getPapers(nearest.map((hit) => hit.id));
  return papers.filter((paper) => !paper.hidden).slice(0, limit);
}
