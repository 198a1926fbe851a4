import type pg from 'pg';
import type { SearchQuery } from '../../domain/search-query.ts';
import { CANDIDATE_LIMITS, candidateGroups } from '../keyword-candidates.ts';
import type { KeywordHit, SearchSignals } from '../papers.ts';
import { DAILY_ENTRY } from './paper-reader.ts';
import { filterConditions, type Plan, parameters } from './search-filters.ts';
import { namedStatement } from './sql.ts';
import { allOf, anyOf, authorSource, indexedMatch, phraseSource, tokens, wordSource } from './ts-query.ts';

/**
 * ts_rank weights {D, C, B, A}: abstract, authors, title, for the required phrases and authors (every hit has
 * them, so they barely move the order).
 */
const WEIGHTS = '{0, 0.5, 0.8, 1}';
/**
 * Words rank by BM25 as SQLite's FTS5 does (k1 1.2, b 0.75). A word's frequency in a paper is FTS5's weighted count,
 * 10 per occurrence in the title, 3 in the authors, 1 in the abstract: ts_rank_cd of a one-word query sums its
 * occurrences' weights ({D, C, B, A} below, times 10). A paper's length is its count of distinct words
 * (`length(search_vector)`, stored with the vector), against the collection's average.
 */
const BM25 = { k1: 1.2, b: 0.75, countWeights: '{0, 0.1, 0.3, 1}', countScale: 10 };
/**
 * ts_rank of a one-word query is about a third of ts_rank_cd's cost, and is the weighted count's first occurrence
 * plus the later ones damped by 1/n² (its sum of 1/n² divided out here): never more than the count. With more
 * than SHORTLIST_FROM × the asked number of candidates, the SHORTLIST × asked best by that estimate are shortlisted
 * and only they are scored on the exact count.
 */
const RANK_SCALE = 1.64493406685;
const SHORTLIST_FROM = 3;
const SHORTLIST = 1.2;
/**
 * The estimate reads the rarest words only: they weigh most in the shortlist, and each word read costs about
 * 1 µs per candidate. On the dev set, 6 words and a shortlist of 1.5 × asked rank as 9 words and 2 × did
 * (MRR@10 0.970 / 0.981), and so do shortlists of 1.2 × and 1 × (scoring a shortlisted paper exactly costs
 * about 7 µs); 5 words lost 0.001.
 */
const ESTIMATE_WORDS = 6;
/** Papers sampled for the average length on a large collection (an exact average reads every row). */
const LENGTH_SAMPLE = 20_000;

/** Ranking words kept per query, rarest first: each common word makes every query slower and ranks little. */
const MAX_RANKING_WORDS = 9;
/** Words in more than this share of papers rank nothing (the, of, model) unless nothing else is left. */
const COMMON_SHARE = 0.3;
const CACHE_SIZE = 50_000;
/**
 * From this many candidates on, a ranking without phrases or authors runs as RANKING_PARTS queries on papers split
 * by doc_id, on as many pooled connections, which score in parallel. Below it one query is faster on a busy
 * machine: each part reads every candidate's row to split them, and shortlists its own papers.
 */
const SPLIT_FROM = 3_000;
const RANKING_PARTS = 2;
/** Also how long a word's exact paper count (`someWordInAtLeast`) is trusted. */
const STATISTICS_TTL_MS = 5 * 60_000;
/** A word whose estimated paper count is below this share of the asked count is not counted for it. */
const COUNTED_FROM_SHARE = 0.8;

interface Statistics {
  papers: number;
  /** Average distinct words per paper (`length(search_vector)`). */
  averageLength: number;
  /** Lexeme → share of papers holding it, for the commonest lexemes (pg_stats.most_common_elems). */
  shares: Map<string, number>;
  /** The lowest share kept there: a lexeme not in the list is rarer than about this. */
  floor: number | null;
  at: number;
}

export interface RankingWord {
  query: string;
  idf: number;
  /** Papers holding the word (from statistics or counted). */
  count: number;
}

/** Keyword search and search filters on the weighted tsvector (see migration 004). */
export class KeywordSearch {
  /** tsquery source → PostgreSQL's normalized tsquery. Deterministic for the english configuration. */
  private readonly normalized = new Map<string, string>();
  private readonly documentFrequency = new Map<string, number>();
  /** Word query → papers holding it (hidden ones too), counted exactly up to `cap`. */
  private readonly wordPapers = new Map<string, { count: number; cap: number }>();
  private stats: Statistics | null = null;

  constructor(private readonly pool: pg.Pool) {}

  /** Runs sources through to_tsquery (as parameters) in one round trip; cached. */
  private async normalize(sources: string[]): Promise<Map<string, string>> {
    const missing = [...new Set(sources)].filter((source) => !this.normalized.has(source));
    if (missing.length > 0) {
      const result = await this.pool.query<{ source: string; query: string }>(
        `SELECT source, to_tsquery('english', source)::text AS query FROM unnest($1::text[]) AS source`,
        [missing],
      );
      if (this.normalized.size + missing.length > CACHE_SIZE) this.normalized.clear();
      for (const row of result.rows) this.normalized.set(row.source, row.query);
    }
    return new Map(sources.map((source) => [source, this.normalized.get(source) ?? '']));
  }

  async plan(query: SearchQuery): Promise<Plan> {
    const words = query.words.flatMap((word) => {
      const source = wordSource(word);
      return source ? [{ word, source }] : [];
    });
    const phrases = query.phrases.flatMap((phrase) => phraseSource(tokens(phrase.join(' '))) ?? []);
    const authors = query.authors.map(authorSource);
    const excluded = query.excluded.flatMap((word) => wordSource(word) ?? []);
    const normalized = await this.normalize([
      ...words.map((word) => word.source),
      ...phrases,
      ...authors.flatMap((author) => author ?? []),
      ...excluded,
    ]);
    const get = (source: string) => normalized.get(source) ?? '';
    const authorQueries = authors.map((author) => (author ? get(author) : ''));
    return {
      words: words.map(({ word, source }) => ({ word, query: get(source) })).filter((word) => word.query),
      // A phrase of stop words only ("of the") requires nothing: nearly every paper has it.
      required: [...phrases.map(get), ...authorQueries].filter((required) => required !== ''),
      impossible: authorQueries.some((author) => author === ''),
      excluded: anyOf(excluded.map(get)),
    };
  }

  /** The paper count and the commonest lexemes' shares from the planner's statistics; refreshed now and then. */
  private async statistics(): Promise<Statistics> {
    const now = Date.now();
    if (!this.stats || now - this.stats.at > STATISTICS_TTL_MS) {
      // The planner's estimate on a large table (counting would scan it), an exact count on a small one.
      const count = await this.pool.query<{ count: number }>(
        `SELECT CASE WHEN reltuples >= 10000 THEN reltuples::int ELSE (SELECT count(*)::int FROM papers) END AS count
         FROM pg_class WHERE oid = 'papers'::regclass`,
      );
      // ANALYZE keeps the commonest lexemes of the search vector with the share of papers holding each.
      const common = await this.pool.query<{ elems: string[] | null; freqs: number[] | null }>(
        `SELECT most_common_elems::text::text[] AS elems, most_common_elem_freqs AS freqs FROM pg_stats
         WHERE schemaname = current_schema() AND tablename = 'papers' AND attname = 'search_vector'`,
      );
      const papers = Math.max(1, count.rows[0]?.count ?? 1);
      const sample = papers > LENGTH_SAMPLE ? ` TABLESAMPLE SYSTEM (${(100 * LENGTH_SAMPLE) / papers})` : '';
      const lengths = await this.pool.query<{ average: number | null }>(
        `SELECT avg(length(search_vector))::float8 AS average FROM papers${sample}`,
      );
      const averageLength = Math.max(1, lengths.rows[0]?.average ?? 1);
      const { elems, freqs } = common.rows[0] ?? { elems: null, freqs: null };
      const shares = new Map<string, number>();
      elems?.forEach((lexeme, index) => shares.set(lexeme, freqs?.[index] ?? 0));
      // After the elements' shares come the lowest and the highest of them.
      const floor = elems && freqs && freqs.length > elems.length ? (freqs[elems.length] ?? null) : null;
      // Counts made on a collection of another size are off by now.
      if (this.stats && Math.abs(papers - this.stats.papers) > this.stats.papers * 0.05)
        this.documentFrequency.clear();
      this.wordPapers.clear();
      this.stats = { papers, averageLength, shares, floor, at: now };
    }
    return this.stats;
  }

  /**
   * How many papers contain each word (normalized query); cached, as it changes slowly and only matters roughly.
   * A common word's count comes from the planner's statistics; others are counted through the index, up to the
   * share under which the statistics keep no lexeme (a word beyond it is common, and then ranks nothing).
   */
  private async frequencies(queries: string[], stats: Statistics): Promise<Map<string, number>> {
    const missing: string[] = [];
    for (const query of new Set(queries)) {
      if (this.documentFrequency.has(query)) continue;
      const lexeme = /^'([^']+)'$/.exec(query)?.[1];
      const share = lexeme === undefined ? undefined : stats.shares.get(lexeme);
      if (share !== undefined) this.documentFrequency.set(query, Math.round(share * stats.papers));
      else missing.push(query);
    }
    if (missing.length > 0) {
      const cap = Math.max(
        1_000,
        Math.ceil(
          stats.papers * (stats.floor === null ? COMMON_SHARE : Math.min(stats.floor, COMMON_SHARE)),
        ) + 1,
      );
      const result = await this.pool.query<{ query: string; count: number }>(
        `SELECT query, (SELECT count(*)::int FROM (
                  SELECT 1 FROM papers WHERE search_vector @@ query::tsquery LIMIT $2
                ) matches) AS count
         FROM unnest($1::text[]) AS query`,
        [missing, cap],
      );
      if (this.documentFrequency.size + missing.length > CACHE_SIZE) this.documentFrequency.clear();
      for (const row of result.rows) this.documentFrequency.set(row.query, row.count);
    }
    return new Map(queries.map((query) => [query, this.documentFrequency.get(query) ?? 0]));
  }

  /**
   * Whether one of `words` alone is in at least `atLeast` papers (hidden ones included): then any of them match
   * that many. The word of the highest estimated count is counted exactly, reading at most `atLeast` of its
   * papers once; its count is kept until the statistics are refreshed. False when no word comes close.
   */
  async someWordInAtLeast(words: RankingWord[], atLeast: number): Promise<boolean> {
    const commonest = words.reduce<RankingWord | null>(
      (best, word) => (best && best.count >= word.count ? best : word),
      null,
    );
    if (!commonest || commonest.count < atLeast * COUNTED_FROM_SHARE) return false;
    await this.statistics();
    const known = this.wordPapers.get(commonest.query);
    if (known && (known.count >= atLeast || known.count < known.cap)) return known.count >= atLeast;
    const cap = Math.ceil(atLeast * 1.1);
    const result = await this.pool.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM (SELECT 1 FROM papers WHERE ${indexedMatch('search_vector', '$1')} LIMIT $2) m`,
      [commonest.query, cap],
    );
    const count = result.rows[0]?.count ?? 0;
    if (this.wordPapers.size >= CACHE_SIZE) this.wordPapers.clear();
    this.wordPapers.set(commonest.query, { count, cap });
    return count >= atLeast;
  }

  /** The informative words of the query with their idf: rarest first, common ones dropped while rarer ones remain. */
  async rankingWords(words: Plan['words'], max = MAX_RANKING_WORDS): Promise<RankingWord[]> {
    const unique = [...new Map(words.map((word) => [word.query, word])).values()];
    if (unique.length === 0) return [];
    const stats = await this.statistics();
    const papers = stats.papers;
    const counts = await this.frequencies(
      unique.map((word) => word.query),
      stats,
    );
    // FTS5's idf (a word in more than half the papers counts next to nothing).
    const idf = (count: number) => Math.max(1e-6, Math.log((papers - count + 0.5) / (count + 0.5)));
    const scored = unique.map((word) => ({ query: word.query, count: counts.get(word.query) ?? 0 }));
    if (scored.length <= 2) return scored.map((word) => ({ ...word, idf: idf(word.count) }));
    const byRarity = scored.filter((word) => word.count > 0).sort((a, b) => a.count - b.count);
    // On a small collection every word looks common; keep them all there.
    const informative =
      papers < 1_000
        ? byRarity
        : byRarity.filter((word, index) => index === 0 || word.count / papers <= COMMON_SHARE);
    return informative.slice(0, max).map((word) => ({ ...word, idf: idf(word.count) }));
  }

  /**
   * Best matches first (any of the ranking words, weighted by rarity and by where they occur, with every phrase
   * and author); a query of filters only lists the newest papers that pass them. Which papers are ranked is
   * chosen as on SQLite (`candidateGroups`): each paper ranked costs reading its row.
   */
  async search(query: SearchQuery, limit: number): Promise<KeywordHit[]> {
    const plan = await this.plan(query);
    if (plan.impossible) return [];
    const ranking = (await this.rankingWords(plan.words)).sort((a, b) => a.count - b.count);
    const anyWord = anyOf(ranking.map((word) => word.query));
    const required = allOf(plan.required);
    if (!required && !anyWord) {
      // Text that leaves nothing to look for (only stop words, or nothing in the collection) finds nothing.
      if (query.words.length > 0 || query.phrases.length > 0) return [];
      const { values, param } = parameters();
      const conditions = filterConditions(query, plan, param);
      const rows = await this.pool.query<{ id: string }>(
        `SELECT p.id FROM papers p WHERE ${conditions.join(' AND ')}
         ORDER BY p.published_at COLLATE "C" DESC NULLS LAST, p.id COLLATE "C" DESC LIMIT ${param(limit)}`,
        values,
      );
      return rows.rows.map((row, index) => ({ id: row.id, score: 1 / (index + 1) }));
    }
    // Phrases and authors weigh as much as the most telling word.
    const requiredWeight = Math.max(1, ...ranking.map((word) => word.idf));
    const groups = candidateGroups(
      ranking.map((word) => word.count),
      CANDIDATE_LIMITS,
    );
    const words = groups
      ? anyOf(groups.map((group) => allOf(group.flatMap((index) => ranking[index]?.query ?? [])) ?? ''))
      : anyWord;
    const match = required && words ? `(${required}) & (${words})` : (required ?? words ?? '');
    // At most this many papers are ranked (a group's papers are at most those of its rarest word).
    const candidates = (groups ?? ranking.map((_, index) => [index])).reduce(
      (sum, group) => sum + Math.min(...group.map((index) => ranking[index]?.count ?? 0)),
      0,
    );
    const parts = !required && candidates >= SPLIT_FROM ? RANKING_PARTS : 1;
    const ranked = await Promise.all(
      Array.from({ length: parts }, (_, part) =>
        this.rank(query, plan, ranking, requiredWeight, match, limit, {
          parts,
          part,
          candidates: candidates / parts,
        }),
      ),
    );
    if (parts === 1) return (ranked[0] ?? []).map(({ id, score }) => ({ id, score }));
    return ranked
      .flat()
      .sort((a, b) => b.score - a.score || a.doc_id - b.doc_id)
      .slice(0, limit)
      .map(({ id, score }) => ({ id, score }));
  }

  /**
   * Papers matching `match` and the filters, by score: each word's BM25 (below its idf), plus the phrases' and
   * authors' ts_rank (below their weight).
   */
  private async rank(
    query: SearchQuery,
    plan: Plan,
    ranking: RankingWord[],
    requiredWeight: number,
    match: string,
    limit: number,
    split: { parts: number; part: number; candidates: number },
  ): Promise<Array<KeywordHit & { doc_id: number }>> {
    const { values, param } = parameters();
    const conditions = filterConditions(query, plan, param);
    if (split.parts > 1) conditions.push(`p.doc_id % ${split.parts} = ${param(split.part)}`);
    const { averageLength } = await this.statistics();
    const { k1, b } = BM25;
    const average = ranking.length > 0 ? param(averageLength) : '1';
    const norm = `(${k1 * (1 - b)}::float8 + ${k1 * b}::float8 * length(v) / ${average}::float8)`;
    const required = plan.required.map(
      (phrase) => `${param(requiredWeight)}::float8 * ts_rank('${WEIGHTS}', v, ${param(phrase)}::tsquery)`,
    );
    const words = ranking.map((word) => ({ query: param(word.query), idf: param(word.idf) }));
    // Each word's frequency is read once per paper, in a query of its own (OFFSET 0 keeps PostgreSQL from folding
    // it into the one that scores, where the formula would read it twice). Most candidates lack most of the words:
    // `@@` tells so in a fifth of a ranking function's time, which then is not called.
    const frequencies = (rank: 'ts_rank_cd' | 'ts_rank', scored: typeof words) =>
      scored
        .map(
          (word, index) =>
            `, CASE WHEN v @@ ${word.query}::tsquery THEN ${rank === 'ts_rank_cd' ? BM25.countScale : BM25.countScale * RANK_SCALE} * ${rank}('${BM25.countWeights}', v, ${word.query}::tsquery) ELSE 0 END AS tf${index}`,
        )
        .join('');
    const score = (scored: typeof words) =>
      [
        ...scored.map((word, index) => `${word.idf}::float8 * tf${index} / (tf${index} + norm)`),
        'required',
      ].join(' + ');
    const estimated = words.slice(0, ESTIMATE_WORDS);
    const shortlist = split.candidates > SHORTLIST_FROM * limit;
    // The search vector is decompressed once per paper (setweight with no lexemes copies it), not once per word.
    const vector = `setweight(p.search_vector, 'A', '{}'::text[])`;
    const candidates = `SELECT ${shortlist ? '' : 'id, '}doc_id, v, ${norm} AS norm, ${required.length > 0 ? required.join(' + ') : '0'} AS required
      FROM (
        SELECT p.id, p.doc_id, ${vector} AS v FROM papers p
        WHERE ${indexedMatch('p.search_vector', param(match))} AND ${conditions.join(' AND ')}
        OFFSET 0
      ) matched OFFSET 0`;
    // The shortlist carries no vectors through its sort (a copy of each candidate's, a kilobyte or two): the
    // shortlisted papers' are read again through the primary key.
    const shortlisted = shortlist
      ? `SELECT p.id, s.doc_id, ${vector} AS v, s.norm, s.required FROM (
           SELECT doc_id, norm, required FROM (
             SELECT doc_id, norm, required ${frequencies('ts_rank', estimated)} FROM (${candidates}) candidate OFFSET 0
           ) estimated ORDER BY ${score(estimated)} DESC, doc_id LIMIT ${param(Math.round(SHORTLIST * limit))}
         ) s JOIN papers p ON p.doc_id = s.doc_id OFFSET 0`
      : candidates;
    const rows = await this.pool.query<KeywordHit & { doc_id: number }>(
      namedStatement(
        `SELECT id, doc_id, ${score(words)} AS score FROM (
           SELECT id, doc_id, norm, required ${frequencies('ts_rank_cd', words)} FROM (${shortlisted}) shortlisted OFFSET 0
         ) ranked
         ORDER BY score DESC, doc_id LIMIT ${param(limit)}`,
        values,
      ),
    );
    return rows.rows;
  }

  /** Of `ids`, those that pass the filters, required phrases and authors, and exclusions. */
  async filter(ids: string[], query: SearchQuery): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const plan = await this.plan(query);
    if (plan.impossible) return new Set();
    const { values, param } = parameters();
    const conditions = [
      `p.id = ANY(${param([...new Set(ids)])}::text[])`,
      ...filterConditions(query, plan, param),
    ];
    const required = allOf(plan.required);
    if (required) conditions.push(`p.search_vector @@ ${param(required)}::tsquery`);
    const rows = await this.pool.query<{ id: string }>(
      `SELECT p.id FROM papers p WHERE ${conditions.join(' AND ')}`,
      values,
    );
    return new Set(rows.rows.map((row) => row.id));
  }

  async signals(ids: string[]): Promise<Map<string, SearchSignals>> {
    if (ids.length === 0) return new Map();
    const rows = await this.pool.query<{ id: string; upvotes: number; day: string | null; hidden: number }>(
      `SELECT p.id, p.imported_upvotes + p.member_upvotes AS upvotes, p.hidden,
              COALESCE(d.day, substr(p.published_at, 1, 10)) AS day
       FROM papers p ${DAILY_ENTRY}
       WHERE p.id = ANY($1::text[])`,
      [[...new Set(ids)]],
    );
    return new Map(
      rows.rows.map((row) => [row.id, { upvotes: row.upvotes, day: row.day, hidden: row.hidden === 1 }]),
    );
  }
}
