import {
  type BoostInput,
  boostFactor,
  DEFAULT_FUSION,
  type FusionParams,
  fuseRankings,
} from '../domain/fusion.ts';
import type { Paper } from '../domain/paper.ts';
import { hasText, parseSearchQuery, queryText, type SearchQuery } from '../domain/search-query.ts';
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

function ageInDays(paper: Paper, now: Date): number | null {
  const date = paper.daily?.day ?? paper.publishedAt?.slice(0, 10);
  if (!date) return null;
  return (now.getTime() - Date.parse(`${date}T12:00:00Z`)) / 86_400_000;
}

function sortHits(hits: SearchHit[], sort: SearchSort): SearchHit[] {
  if (sort === 'relevance') return hits;
  const key = (hit: SearchHit) =>
    sort === 'upvotes'
      ? hit.paper.upvotes
      : Date.parse(hit.paper.daily?.day ?? hit.paper.publishedAt ?? '') || 0;
  return [...hits].sort((a, b) => key(b) - key(a));
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
    const allowed = await store.filterSearchHits(nearest, query);
    semanticIds = nearest.filter((id) => allowed.has(id));
  }
  const fused = fuseRankings([keywordIds, semanticIds], options.fusion ?? DEFAULT_FUSION);
  const papers = new Map(
    (await store.getPapers(fused.map((hit) => hit.id))).map((paper) => [paper.id, paper]),
  );
  const now = options.now ?? new Date();
  const boost = options.boost !== false && (options.sort ?? 'relevance') === 'relevance';
  const ranked = fused
    .flatMap((hit) => {
      const paper = papers.get(hit.id);
      if (!paper) return [];
      const input: BoostInput = { upvotes: paper.upvotes, ageDays: ageInDays(paper, now) };
      return [{ hit, paper, score: boost ? hit.score * boostFactor(input) : hit.score }];
    })
    .sort((a, b) => b.score - a.score);
  const hits = sortHits(
    ranked.map(({ hit, paper }) => ({
      paper,
      keyword: hit.foundBy.includes(0),
      semantic: hit.foundBy.includes(1),
    })),
    options.sort ?? 'relevance',
  );
  return { query, hits: hits.slice(options.offset, options.offset + options.limit), total: hits.length };
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
