import type pg from 'pg';
import type { SearchQuery } from '../../domain/search-query.ts';
import { type WordMatch, withWordsRequired } from '../../domain/word-matching.ts';
import * as Matches from '../search-matches.ts';
import type { KeywordSearch, RankingWord } from './keyword-search.ts';
import { filterConditions, parameters } from './search-filters.ts';
import { allOf, anyOf, indexedMatch } from './ts-query.ts';

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
  /** Whether any condition beyond `p.hidden = 0` (the first of `sql`) applies: filters, exclusions. */
  filtered: boolean;
  /** Words of which a paper needs any one, nothing else, to match (for 'any' without phrases or authors). */
  anyWordOf: RankingWord[];
}

/**
 * Papers beyond the bound a word must be in (hidden ones aside) before a count says "more than" from it alone:
 * its count is kept for minutes, during which deletions and edits may take it off that many papers.
 */
const WORD_COUNT_SLACK = 0.05;
/**
 * How long the count of hidden papers is trusted. It only shifts a bound by the papers hidden since, which
 * WORD_COUNT_SLACK covers; counting them again on every search costs a round trip that waits behind the ranking.
 */
const HIDDEN_COUNT_TTL_MS = 10_000;

/** Matches.SearchMatches on the weighted tsvector (see store/search-matches.ts). */
export class PostgresSearchMatches implements Matches.SearchMatches {
  private hidden: { count: number; cap: number; at: number } | null = null;

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
    const sql = filterConditions(query, plan, param);
    return {
      from: wordsAt
        ? `(SELECT * FROM papers WHERE ${indexedMatch('search_vector', wordsAt)} LIMIT ${Matches.MATCH_SCAN}) p`
        : 'papers p',
      sql,
      values,
      param,
      words: matched,
      wordsParam: wordsAt,
      filtered: sql.length > 1,
      anyWordOf: plan.required.length === 0 ? words : [],
    };
  }

  /** Hidden papers, counted up to `cap`; the count is kept for HIDDEN_COUNT_TTL_MS. */
  private async hiddenPapers(cap: number): Promise<number> {
    const now = Date.now();
    const known = this.hidden;
    if (known && known.cap === cap && now - known.at < HIDDEN_COUNT_TTL_MS) return known.count;
    const result = await this.pool.query<{ count: number }>(
      'SELECT count(*)::int AS count FROM (SELECT 1 FROM papers WHERE hidden = 1 LIMIT $1) h',
      [cap],
    );
    const count = result.rows[0]?.count ?? 0;
    this.hidden = { count, cap, at: now };
    return count;
  }

  /** Whether the words match more papers than a filtered query looks at. */
  private async scanCapped(words: string | null): Promise<boolean> {
    if (!words) return false;
    const result = await this.pool.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM (SELECT 1 FROM papers WHERE ${indexedMatch('search_vector', '$1')} LIMIT $2) m`,
      [words, Matches.MATCH_SCAN + 1],
    );
    return (result.rows[0]?.count ?? 0) > Matches.MATCH_SCAN;
  }

  count(query: SearchQuery, match: WordMatch, bound: number): Promise<Matches.MatchCount> {
    return this.costly(query, async () => {
      const where = await this.conditions(query, match);
      if (!where) return { count: 0, exact: true };
      // Without filters, counting reads a paper row per match (its `hidden`): a word alone in more papers than
      // the bound (and the hidden ones) says "more than" without that, and a count within the bound is exact
      // unless the scan of matches met so many hidden papers that it stopped early.
      const uncapped = Matches.MATCH_SCAN - bound;
      const hidden = where.filtered ? null : await this.hiddenPapers(uncapped);
      if (
        hidden !== null &&
        (await this.keyword.someWordInAtLeast(
          where.anyWordOf,
          bound + 1 + hidden + Math.ceil(bound * WORD_COUNT_SLACK),
        ))
      )
        return { count: bound, exact: false };
      const result = await this.pool.query<{ count: number }>(
        `SELECT count(*)::int AS count FROM (
           SELECT 1 FROM ${where.from} WHERE ${where.sql.join(' AND ')} LIMIT ${where.param(bound + 1)}
         ) matches`,
        where.values,
      );
      const count = result.rows[0]?.count ?? 0;
      if (count > bound) return { count: bound, exact: false };
      if (hidden !== null && hidden < uncapped) return { count, exact: true };
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
