import type { SearchQuery } from '../domain/search-query.ts';
import type { WordMatch } from '../domain/word-matching.ts';

/**
 * With filters, the papers matching the words are checked against the filters up to this many (in index order),
 * as every check costs; beyond, counts are lower bounds and orders cover those checked. Also the most papers an
 * order sorts.
 */
export const MATCH_SCAN = 100_000;

/** A match's day in SQL on `p` (either engine): its listing day, or its publication day when it was never listed. */
export const MATCH_DAY =
  'COALESCE((SELECT d.day FROM daily_entries d WHERE d.paper_id = p.id), substr(p.published_at, 1, 10))';

/** A count that is exact, or a lower bound when counting stopped at its bound. */
export interface MatchCount {
  count: number;
  exact: boolean;
}

/** A paper matched by words, with what the non-relevance orders need. */
export interface SortedMatch {
  id: string;
  upvotes: number;
  /** Listing day, else the arXiv day (YYYY-MM-DD), or null. */
  day: string | null;
}

export type MatchOrder = 'newest' | 'upvotes';

/**
 * The papers a query matches by words (see WordMatch), exactly: visible, with every phrase and author, passing the
 * filters, without the excluded words. A query of filters only matches the papers passing them.
 */
export interface SearchMatches {
  /** How many papers match, counted up to `bound` (beyond it `exact` is false and the count is `bound`). */
  count(query: SearchQuery, match: WordMatch, bound: number): Promise<MatchCount>;
  /**
   * The first `limit` matches in `order` over all of them: newest day first, or most upvoted first (then newest);
   * ties by id, descending.
   */
  sorted(query: SearchQuery, match: WordMatch, order: MatchOrder, limit: number): Promise<SortedMatch[]>;
  /** Of `ids`, those that match. */
  matching(ids: string[], query: SearchQuery, match: WordMatch): Promise<Set<string>>;
}

/** The order `sorted` returns, for merging its matches with others (negative: `a` first). */
export function compareMatches(order: MatchOrder, a: SortedMatch, b: SortedMatch): number {
  const dayOrder = (b.day ?? '') > (a.day ?? '') ? 1 : (b.day ?? '') < (a.day ?? '') ? -1 : 0;
  const idOrder = b.id > a.id ? 1 : b.id < a.id ? -1 : 0;
  if (order === 'upvotes') return b.upvotes - a.upvotes || dayOrder || idOrder;
  return dayOrder || idOrder;
}
