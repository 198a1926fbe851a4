import { isArxivId, normalizeArxivId } from '../domain/arxiv-id.ts';
import type { Paper } from '../domain/paper.ts';
import { queryWords } from '../domain/search-query.ts';
import type { Store } from '../store/store.ts';

export interface SearchResults {
  papers: Paper[];
  total: number;
}

/**
 * Keyword search over titles and abstracts, best matches first. A query that is an arXiv id finds that paper.
 * Throws SearchQueryError for a query with nothing to search for.
 */
export async function searchPapers(
  store: Store,
  query: string,
  options: { limit: number; offset: number },
): Promise<SearchResults> {
  const trimmed = query.trim();
  if (isArxivId(trimmed)) {
    const paper = await store.getPaper(normalizeArxivId(trimmed));
    if (paper && !paper.hidden) return { papers: options.offset === 0 ? [paper] : [], total: 1 };
  }
  const { ids, total } = await store.searchKeyword(queryWords(query), options);
  return { papers: await store.getPapers(ids), total };
}
