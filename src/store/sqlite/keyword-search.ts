import type Database from 'better-sqlite3';
import { type SearchQuery, SearchQueryError } from '../../domain/search-query.ts';
import { CANDIDATE_LIMITS, type CandidateLimits, candidateGroups } from '../keyword-candidates.ts';
import type { KeywordHit, SearchSignals } from '../papers.ts';
import { loadBm25Extension } from './bm25-extension/index.ts';
import {
  excludedExpression,
  type RankedMatch,
  type RankingWord,
  rankedMatch,
  requiredExpression,
} from './fts-expression.ts';

/** BM25 column weights: title, abstract, authors. */
const WEIGHTS = '10.0, 1.0, 3.0';

/** SQL conditions on `p` (papers) for the query's filters and exclusions, with their parameters. */
export function filterConditions(query: SearchQuery): { sql: string[]; params: unknown[] } {
  const sql = ['p.hidden = 0'];
  const params: unknown[] = [];
  if (query.organizations.length > 0) {
    sql.push(
      `p.organization_id IN (SELECT id FROM organizations WHERE ${query.organizations
        .map(() => '(name = ? COLLATE NOCASE OR full_name = ? COLLATE NOCASE)')
        .join(' OR ')})`,
    );
    for (const organization of query.organizations) params.push(organization, organization);
  }
  for (const category of query.categories) {
    // A bare archive (cs, math) takes all of its categories; cs.LG takes itself.
    sql.push(
      `EXISTS (SELECT 1 FROM paper_categories c WHERE c.paper_id = p.id AND (c.category = ? COLLATE NOCASE OR (instr(?, '.') = 0 AND c.category LIKE ? || '.%' ESCAPE '\\')))`,
    );
    params.push(category, category, category.replace(/[%_\\]/g, '\\$&'));
  }
  const day = `COALESCE((SELECT d.day FROM daily_entries d WHERE d.paper_id = p.id), substr(p.published_at, 1, 10))`;
  if (query.after) {
    sql.push(`${day} >= ?`);
    params.push(query.after);
  }
  if (query.before) {
    sql.push(`${day} <= ?`);
    params.push(query.before);
  }
  const excluded = excludedExpression(query);
  if (excluded) {
    sql.push('p.doc_id NOT IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?)');
    params.push(excluded);
  }
  return { sql, params };
}

/**
 * Ranking words kept per query, rarest first. More words rank a long query better, and each costs a pass over its
 * postings; on the search dev set (hybrid MRR@10, ai_summary / ai_keywords) 8 words gave 0.975 / 0.984, 9 gave
 * 0.979 / 0.985 and 10 gave 0.980 / 0.983 for 20 % more time than 9.
 */
const MAX_RANKING_WORDS = 9;
/** Words in more than this share of papers rank nothing (the, of, model) unless nothing else is left. */
const COMMON_SHARE = 0.3;
const DF_CACHE_SIZE = 50_000;
/** With filters, rank this many matches in the index before filtering, so that enough of them pass. */
const FILTERED_CANDIDATES = 20_000;
/**
 * A query of filters only (cat:, org:, after:, before:) looks at this many of the newest papers: each filter is
 * checked on every paper looked at, and a filter nothing passes (cat:zz) would otherwise check every paper.
 */
export const FILTER_ONLY_SCAN = 20_000;
/** Without filters, rank this many more than asked for: hidden papers are skipped after ranking. */
const HIDDEN_MARGIN = 20;
const STATEMENT_CACHE_SIZE = 100;

/**
 * A word's count of papers from this many on is kept across writes, for COUNTS_TRUSTED_MS: at millions of papers
 * such a count takes tens of ms to make again, every write of the site (an upvote) would drop them all, and an
 * import moves them by a fraction. Smaller counts are made again after any write: they are quick to make, and a
 * word a write brings in (counted 0 before) must be found at once.
 */
const KEPT_ACROSS_WRITES_FROM = 1_000;
const COUNTS_TRUSTED_MS = 5 * 60_000;

/** The ranking is bm25_df: FTS5's bm25 with the word counts known here (bm25() itself would count every word's
 * postings over the whole index for every query); which papers it ranks: `candidateGroups`. */
export interface KeywordSearchOptions extends Partial<CandidateLimits> {
  /** From how many papers on a word's count outlives writes (tests lower it). */
  countsKeptFrom?: number;
  /** The clock the kept counts age by, ms. */
  now?: () => number;
}

interface WordCount {
  count: number;
  exact: boolean;
}

/** Prepared statements by SQL text, the most recently used ones kept (filter conditions vary by query). */
class Statements {
  private readonly cache = new Map<string, Database.Statement<unknown[]>>();

  constructor(private readonly db: Database.Database) {}

  get<Row>(sql: string): Database.Statement<unknown[], Row> {
    let statement = this.cache.get(sql);
    if (statement) {
      this.cache.delete(sql);
    } else {
      statement = this.db.prepare<unknown[]>(sql);
      if (this.cache.size >= STATEMENT_CACHE_SIZE) {
        const oldest = this.cache.keys().next().value;
        if (oldest !== undefined) this.cache.delete(oldest);
      }
    }
    this.cache.set(sql, statement);
    return statement as Database.Statement<unknown[], Row>;
  }
}

/** Keyword search and search filters on the FTS5 index (see migration 004). */
export class KeywordSearch {
  /** Words' counts of papers below `countsKeptFrom`, dropped at the next write. */
  private readonly rareCounts = new Map<string, WordCount>();
  /** The others, dropped once the data has changed and they are COUNTS_TRUSTED_MS old (`commonCountsSince`). */
  private readonly commonCounts = new Map<string, WordCount>();
  private commonCountsSince = 0;
  private changedSinceCommonCounts = false;
  /** The data version (other connections' commits) and this connection's changes the rare counts were made at. */
  private frequenciesAt = '';
  private readonly dataVersion: Database.Statement<[], number>;
  private readonly ownChanges: Database.Statement<[], number>;
  private readonly statements: Statements;
  private readonly countMatches: Database.Statement<[string, number], number>;
  /** Roughly how many papers there are: count(*) reads a whole index, tens of ms at millions of papers. */
  private readonly estimatePapers: Database.Statement<[], number>;
  private readonly anyHidden: Database.Statement<[], number>;
  private readonly visible: Database.Statement<[string], string>;
  private readonly options: CandidateLimits;
  private readonly countsKeptFrom: number;
  private readonly now: () => number;

  constructor(db: Database.Database, options: KeywordSearchOptions = {}) {
    loadBm25Extension(db);
    const { countsKeptFrom = KEPT_ACROSS_WRITES_FROM, now = Date.now, ...limits } = options;
    this.options = { ...CANDIDATE_LIMITS, ...limits };
    this.countsKeptFrom = countsKeptFrom;
    this.now = now;
    this.statements = new Statements(db);
    this.countMatches = db
      .prepare<[string, number], number>(
        'SELECT count(*) FROM (SELECT 1 FROM papers_fts WHERE papers_fts MATCH ? LIMIT ?)',
      )
      .pluck();
    this.estimatePapers = db.prepare<[], number>('SELECT max(doc_id) FROM papers').pluck();
    this.dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
    this.ownChanges = db.prepare<[], number>('SELECT total_changes()').pluck();
    this.anyHidden = db.prepare<[], number>('SELECT EXISTS (SELECT 1 FROM papers WHERE hidden = 1)').pluck();
    // Existing and not hidden, from the two indexes alone (papers_hidden is partial: hidden = 1).
    this.visible = db
      .prepare<[string], string>(
        `SELECT j.value FROM json_each(?) j
         WHERE EXISTS (SELECT 1 FROM papers p WHERE p.id = j.value)
           AND j.value NOT IN (SELECT id FROM papers WHERE hidden = 1)`,
      )
      .pluck();
  }

  /**
   * How many papers contain the word, counted up to `common` (null: no limit) and Infinity beyond it: a common
   * word's exact count does not matter for choosing the ranking words, and counting stops early. Cached: a small
   * count until the data changes, a large one until the data has changed and it is a few minutes old
   * (KEPT_ACROSS_WRITES_FROM); an exact count answers both questions.
   */
  private frequency(word: string, common: number | null): number {
    const version = `${this.dataVersion.get()}:${this.ownChanges.get()}`;
    if (version !== this.frequenciesAt) {
      this.rareCounts.clear();
      this.frequenciesAt = version;
      this.changedSinceCommonCounts = true;
    }
    const now = this.now();
    if (this.changedSinceCommonCounts && now - this.commonCountsSince > COUNTS_TRUSTED_MS) {
      this.commonCounts.clear();
      this.commonCountsSince = now;
      this.changedSinceCommonCounts = false;
    }
    let cached = this.commonCounts.get(word) ?? this.rareCounts.get(word);
    // A count that stopped at a lower bound says only "at least that many": a higher bound needs it made again.
    if (cached === undefined || (!cached.exact && (common === null || cached.count < common))) {
      const count = this.countMatches.get(`"${word.replaceAll('"', '""')}"`, common ?? -1) ?? 0;
      cached = { count, exact: common === null || count < common };
      const counts = count >= this.countsKeptFrom ? this.commonCounts : this.rareCounts;
      if (counts.size >= DF_CACHE_SIZE) counts.clear();
      counts.set(word, cached);
    }
    return common !== null && cached.count >= common ? Number.POSITIVE_INFINITY : cached.count;
  }

  /** The informative words of the query: rarest first, common ones dropped while rarer ones remain. */
  private rankingWords(words: string[]): RankingWord[] {
    // One or two words keep even a common word, with its exact count (cached): bm25_df would count its postings
    // over the whole index for every query. Their postings bound the ranking work as for longer queries
    // (`candidates`): "diffusion models" ranks the papers with "diffusion", not every one with "models".
    if (words.length <= 2) return this.byRarity(words, null);
    const byRarity = this.byRarity(words, this.commonCount());
    const informative = byRarity.filter(
      (entry, index) => index === 0 || entry.count !== Number.POSITIVE_INFINITY,
    );
    // Only the rarest word may be common (all of them are): its count was not finished, bm25_df counts it.
    return informative
      .slice(0, MAX_RANKING_WORDS)
      .map(({ word, count }) => ({ word, count: count === Number.POSITIVE_INFINITY ? null : count }));
  }

  /** The indexed ones of `words` with their counts of papers, rarest first; past `common` a count is infinite. */
  private byRarity(words: string[], common: number | null): Array<{ word: string; count: number }> {
    return words
      .map((word) => ({ word, count: this.frequency(word, common) }))
      .filter((entry) => entry.count > 0)
      .sort((a, b) => a.count - b.count);
  }

  /** From how many papers on a word is common; null on a small collection, where every word looks common. */
  private commonCount(): number | null {
    const papers = this.estimatePapers.get() ?? 0;
    return papers < 1_000 ? null : Math.floor(papers * COMMON_SHARE) + 1;
  }

  /** The words that tell papers apart: those in at most 30 % of the papers (else the rarest), in the index. */
  informativeWords(words: string[]): string[] {
    return this.byRarity(words, this.commonCount())
      .filter((entry, index) => index === 0 || Number.isFinite(entry.count))
      .map((entry) => entry.word);
  }

  /** Whether one of the words is in at least `papers` papers (counted as for ranking, and cached alike). */
  someWordInAtLeast(words: string[], papers: number): boolean {
    return words.some((word) => this.frequency(word, papers) === Number.POSITIVE_INFINITY);
  }

  /** Word groups a candidate must have all of one of (rarest words first), or undefined to rank every match. */
  private candidates(ranking: RankingWord[]): string[][] | undefined {
    const groups = candidateGroups(
      ranking.map((entry) => entry.count),
      this.options,
    );
    return groups?.map((group) => group.flatMap((index) => ranking[index]?.word ?? []));
  }

  /**
   * Refuses to exclude a word most papers have (-the): the papers to leave out are read whole before any other
   * condition, and at millions of papers that alone takes seconds.
   */
  private checkExclusions(query: SearchQuery): void {
    const papers = this.estimatePapers.get() ?? 0;
    if (papers < 1_000) return;
    const common = Math.floor(papers * COMMON_SHARE) + 1;
    const word = query.excluded.find(
      (excluded) => this.frequency(excluded, common) === Number.POSITIVE_INFINITY,
    );
    if (word !== undefined)
      throw new SearchQueryError(
        `-${word}: too many papers contain “${word}” to leave them out; drop the -${word}`,
      );
  }

  /** Best BM25 matches first; a query of filters only lists the newest papers that pass them. */
  search(query: SearchQuery, limit: number): KeywordHit[] {
    this.checkExclusions(query);
    const ranking = this.rankingWords(query.words);
    if (query.words.length > 0 && ranking.length === 0 && !requiredExpression(query)) return [];
    const filters = filterConditions(query);
    const match = rankedMatch(query, ranking, this.candidates(ranking), (word) => this.frequency(word, null));
    if (!match) {
      const rows = this.statements
        .get<{ id: string }>(
          `SELECT p.id FROM (
             SELECT doc_id FROM papers INDEXED BY papers_newest_visible WHERE hidden = 0
             ORDER BY published_at DESC, id DESC LIMIT ?
           ) newest JOIN papers p ON p.doc_id = newest.doc_id
           WHERE ${filters.sql.join(' AND ')} ORDER BY p.published_at DESC, p.id DESC LIMIT ?`,
        )
        .all(FILTER_ONLY_SCAN, ...filters.params, limit);
      return rows.map((row, index) => ({ id: row.id, score: 1 / (index + 1) }));
    }
    return this.ranked(match, filters, limit);
  }

  /**
   * Ranks in the index first and joins only the best. Without filters a few more than `limit` are enough (only
   * hidden papers drop out) unless hidden ones took more than that margin, and the ids come from a narrow index
   * (migration 009); with filters many more are ranked so that enough of them pass.
   */
  private ranked(
    match: RankedMatch,
    filters: { sql: string[]; params: unknown[] },
    limit: number,
  ): KeywordHit[] {
    const filtered = filters.sql.length > 1;
    const statement = this.statements.get<KeywordHit>(
      `SELECT p.id, -f.rank AS score FROM (
         SELECT rowid, bm25_df(papers_fts, ${WEIGHTS}${', ?'.repeat(match.frequencies.length)}) AS rank
         FROM papers_fts WHERE papers_fts MATCH ? ORDER BY rank LIMIT ?
       ) f JOIN papers p ${filtered ? '' : 'INDEXED BY papers_search_hits'} ON p.doc_id = f.rowid
       WHERE ${filters.sql.join(' AND ')} ORDER BY f.rank LIMIT ?`,
    );
    const run = (candidates: number) =>
      statement.all(...match.frequencies, match.expression, candidates, ...filters.params, limit);
    const hits = run(filtered ? FILTERED_CANDIDATES : limit + HIDDEN_MARGIN);
    if (filtered || hits.length >= limit || !this.anyHidden.get()) return hits;
    return run(FILTERED_CANDIDATES);
  }

  /** Of `ids`, those that pass the filters, required phrases and authors, and exclusions. */
  filter(ids: string[], query: SearchQuery): Set<string> {
    if (ids.length === 0) return new Set();
    this.checkExclusions(query);
    const filters = filterConditions(query);
    const required = requiredExpression(query);
    // Nothing to check but that the papers exist and are not hidden: the indexes answer that.
    if (filters.sql.length === 1 && !required) return new Set(this.visible.all(JSON.stringify(ids)));
    if (required) {
      filters.sql.push('p.doc_id IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?)');
      filters.params.push(required);
    }
    const rows = this.statements
      .get<string>(
        `SELECT p.id FROM papers p WHERE p.id IN (SELECT value FROM json_each(?)) AND ${filters.sql.join(' AND ')}`,
      )
      .pluck()
      .all(JSON.stringify(ids), ...filters.params);
    return new Set(rows);
  }

  signals(ids: string[]): Map<string, SearchSignals> {
    const rows = this.statements
      .get<{ id: string; upvotes: number; day: string | null; hidden: number }>(
        `SELECT p.id, p.imported_upvotes + p.member_upvotes AS upvotes, p.hidden,
              COALESCE(d.day, substr(p.published_at, 1, 10)) AS day
       FROM papers p INDEXED BY papers_signals LEFT JOIN daily_entries d ON d.paper_id = p.id
       WHERE p.id IN (SELECT value FROM json_each(?))`,
      )
      .all(JSON.stringify(ids));
    return new Map(
      rows.map((row) => [row.id, { upvotes: row.upvotes, day: row.day, hidden: row.hidden === 1 }]),
    );
  }
}
