import type pg from 'pg';
import type { SearchQuery } from '../../domain/search-query.ts';
import { type WordMatch, withWordsRequired } from '../../domain/word-matching.ts';
import * as Matches from '../search-matches.ts';
import type { KeywordSearch } from './keyword-search.ts';
import { filterConditions, parameters } from './search-filters.ts';
import { allOf, anyOf } from './ts-query.ts';

const ORDER: Record<Matches.MatchOrder, string> = {
  newest: `${Matches.MATCH_DAY} COLLATE "C" DESC NULLS LAST, p.id COLLATE "C" DESC`,
  upvotes: `upvotes DESC, ${Matches.MATCH_DAY} COLLATE "C" DESC NULLS LAST, p.id COLLATE "C" DESC`,
};

interface Conditions {
  /** The papers to look at, as `p`. */
  from: string;
  /** Conditions on `p`: the filters. */
  sql: string[];
  values: unknown[];
  param: (value: unknown) => string;
  /** The tsquery of the words, and its placeholder; null for a query of filters only. */
  words: string | null;
  wordsParam: string | null;
}

/** Matches.SearchMatches on the weighted tsvector (see store/search-matches.ts). */
export class PostgresSearchMatches implements Matches.SearchMatches {
  constructor(
    private readonly pool: pg.Pool,
    private readonly keyword: KeywordSearch,
    /** Runs a costly query (filters, exclusions) within the store's limit on those. */
    private readonly costly: <T>(query: SearchQuery, run: () => Promise<T>) => Promise<T>,
  ) {}

  /**
   * The papers matching the words (at most Matches.MATCH_SCAN of them) as `p`, with the WHERE conditions of the filters
   * and their values; null when the query's words match nothing.
   */
  private async conditions(query: SearchQuery, match: WordMatch): Promise<Conditions | null> {
    const plan = await this.keyword.plan(match === 'all' ? withWordsRequired(query) : query);
    if (plan.impossible) return null;
    const words =
      match === 'all' ? [] : await this.keyword.rankingWords(plan.words, Number.POSITIVE_INFINITY);
    const matched = allOf([...plan.required, anyOf(words.map((word) => word.query)) ?? '']);
    // Text that leaves nothing to look for (only stop words, or nothing in the collection) finds nothing.
    if (!matched && (query.words.length > 0 || query.phrases.length > 0)) return null;
    const { values, param } = parameters();
    const wordsAt = matched ? param(matched) : null;
    return {
      from: wordsAt
        ? `(SELECT * FROM papers WHERE search_vector @@ ${wordsAt}::tsquery LIMIT ${Matches.MATCH_SCAN}) p`
        : 'papers p',
      sql: filterConditions(query, plan, param),
      values,
      param,
      words: matched,
      wordsParam: wordsAt,
    };
  }

  /** Whether the words match more papers than a filtered query looks at. */
  private async scanCapped(words: string | null): Promise<boolean> {
    if (!words) return false;
    const result = await this.pool.query<{ count: number }>(
      'SELECT count(*)::int AS count FROM (SELECT 1 FROM papers WHERE search_vector @@ $1::tsquery LIMIT $2) m',
      [words, Matches.MATCH_SCAN + 1],
    );
    return (result.rows[0]?.count ?? 0) > Matches.MATCH_SCAN;
  }

  count(query: SearchQuery, match: WordMatch, bound: number): Promise<Matches.MatchCount> {
    return this.costly(query, async () => {
      const where = await this.conditions(query, match);
      if (!where) return { count: 0, exact: true };
      const result = await this.pool.query<{ count: number }>(
        `SELECT count(*)::int AS count FROM (
           SELECT 1 FROM ${where.from} WHERE ${where.sql.join(' AND ')} LIMIT ${where.param(bound + 1)}
         ) matches`,
        where.values,
      );
      const count = result.rows[0]?.count ?? 0;
      if (count > bound) return { count: bound, exact: false };
      return { count, exact: !(await this.scanCapped(where.words)) };
    });
  }

  sorted(
    query: SearchQuery,
    match: WordMatch,
    order: Matches.MatchOrder,
    limit: number,
  ): Promise<Matches.SortedMatch[]> {
    return this.costly(query, async () => {
      const where = await this.conditions(query, match);
      if (!where || limit <= 0) return [];
      const result = await this.pool.query<Matches.SortedMatch>(
        `SELECT p.id, p.imported_upvotes + p.member_upvotes AS upvotes, ${Matches.MATCH_DAY} AS day FROM ${where.from}
         WHERE ${where.sql.join(' AND ')} ORDER BY ${ORDER[order]} LIMIT ${where.param(limit)}`,
        where.values,
      );
      return result.rows;
    });
  }

  async matching(ids: string[], query: SearchQuery, match: WordMatch): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const where = await this.conditions(query, match);
    if (!where) return new Set();
    // Checked paper by paper (the ids are few), not through the scan of every match.
    const words = where.wordsParam ? [`p.search_vector @@ ${where.wordsParam}::tsquery`] : [];
    const result = await this.pool.query<{ id: string }>(
      `SELECT p.id FROM papers p WHERE p.id = ANY(${where.param([...new Set(ids)])}::text[]) AND ${[...words, ...where.sql].join(' AND ')}`,
      where.values,
    );
    return new Set(result.rows.map((row) => row.id));
  }
}
