import Database from 'better-sqlite3';
import type { SearchQuery } from '../../domain/search-query.ts';
import { type WordMatch, withWordsRequired } from '../../domain/word-matching.ts';
import * as Matches from '../search-matches.ts';
import { rankedMatch, requiredExpression } from './fts-expression.ts';
import { INDEX_TOKENIZER } from './index-words.ts';
import { FILTER_ONLY_SCAN, filterConditions, type KeywordSearch } from './keyword-search.ts';
import type { KeywordSearchThreads } from './keyword-search-thread.ts';

const ORDER: Record<Matches.MatchOrder, string> = {
  newest: 'day DESC, p.id DESC',
  upvotes: 'upvotes DESC, day DESC, p.id DESC',
};

/** The papers a query matches, as one FROM clause and WHERE conditions on `p`. */
interface MatchSource {
  from: string;
  where: string[];
  params: unknown[];
  /** The FTS5 expression of the words, when the query has words or phrases. */
  expression: string | null;
  filtered: boolean;
  /** The words of which a paper needs any one, nothing else, to match (null: other conditions). */
  anyOfWords: string[] | null;
}

interface CheckedPaper {
  id: string;
  doc_id: number;
  title: string;
  abstract: string;
  authors_text: string;
}

/**
 * A scratch keyword index in memory, tokenized as papers_fts is: a few papers' words are checked by indexing just
 * them and matching the expression once. Matching papers_fts paper by paper re-reads every word's postings for
 * each paper (about 0.5 ms a paper for a long query at 80k papers).
 */
class CheckedIndex {
  private readonly db = new Database(':memory:');
  private readonly insert: Database.Statement<[number, string, string, string]>;
  private readonly match: Database.Statement<[string], number>;
  private readonly clear: Database.Statement<[]>;

  constructor() {
    this.db.exec(
      `CREATE VIRTUAL TABLE checked_fts USING fts5(title, abstract, authors_text, content='', tokenize='${INDEX_TOKENIZER}')`,
    );
    this.insert = this.db.prepare(
      'INSERT INTO checked_fts (rowid, title, abstract, authors_text) VALUES (?, ?, ?, ?)',
    );
    this.match = this.db
      .prepare<[string], number>('SELECT rowid FROM checked_fts WHERE checked_fts MATCH ?')
      .pluck();
    this.clear = this.db.prepare("INSERT INTO checked_fts (checked_fts) VALUES ('delete-all')");
  }

  matching(papers: CheckedPaper[], expression: string): string[] {
    return this.db.transaction(() => {
      for (const paper of papers)
        this.insert.run(paper.doc_id, paper.title, paper.abstract, paper.authors_text);
      try {
        const matched = new Set(this.match.all(expression));
        return papers.filter((paper) => matched.has(paper.doc_id)).map((paper) => paper.id);
      } finally {
        this.clear.run();
      }
    })();
  }
}

/**
 * Checking papers for the words reads all the matches up to this many per paper checked, else indexes the papers
 * (about 45 µs a paper against 0.2 µs a match read, at 80k papers).
 */
const MATCHES_PER_CHECKED_PAPER = 200;

/** Up to this many hidden papers, an unfiltered count counts in the index alone and takes the hidden ones off. */
const HIDDEN_CHECKED = 1_000;

/** The exact match queries on one connection (see store/search-matches.ts); synchronous, for a search thread. */
export class MatchQueries {
  private readonly statements = new Map<string, Database.Statement<unknown[]>>();
  private readonly hiddenPapers: Database.Statement<[number], number>;
  private readonly indexMatches: Database.Statement<[string, number], number>;
  private readonly hiddenMatches: Database.Statement<[string], number>;

  constructor(
    private readonly db: Database.Database,
    private readonly keyword: KeywordSearch,
    /** Up to how many matches per paper checked papers are looked up among them (see matching). */
    private readonly matchesPerPaper = MATCHES_PER_CHECKED_PAPER,
  ) {
    this.hiddenPapers = db
      .prepare<[number], number>('SELECT count(*) FROM (SELECT 1 FROM papers WHERE hidden = 1 LIMIT ?)')
      .pluck();
    this.indexMatches = db
      .prepare<[string, number], number>(
        'SELECT count(*) FROM (SELECT 1 FROM papers_fts WHERE papers_fts MATCH ? LIMIT ?)',
      )
      .pluck();
    this.hiddenMatches = db
      .prepare<[string], number>(
        `SELECT count(*) FROM papers p WHERE p.hidden = 1
           AND EXISTS (SELECT 1 FROM papers_fts WHERE papers_fts MATCH ? AND rowid = p.doc_id)`,
      )
      .pluck();
  }

  /** Null when the query's words match nothing. */
  private source(query: SearchQuery, match: WordMatch): MatchSource | null {
    const filters = filterConditions(query);
    let expression: string | null;
    let anyOfWords: string[] | null = null;
    if (match === 'all') expression = requiredExpression(withWordsRequired(query));
    else {
      const words = this.keyword.informativeWords(query.words);
      if (!requiredExpression(query)) anyOfWords = words;
      if (query.words.length > 0 && words.length === 0 && !requiredExpression(query)) return null;
      expression =
        rankedMatch(
          query,
          words.map((word) => ({ word, count: null })),
        )?.expression ?? null;
    }
    const filtered = filters.sql.length > 1;
    if (!expression) {
      // Filters only: the newest papers, as the keyword search looks at them.
      return {
        from: `(SELECT doc_id FROM papers INDEXED BY papers_newest_visible WHERE hidden = 0
                ORDER BY published_at DESC, id DESC LIMIT ${FILTER_ONLY_SCAN}) m JOIN papers p ON p.doc_id = m.doc_id`,
        where: filters.sql,
        params: filters.params,
        expression,
        filtered,
        anyOfWords,
      };
    }
    return {
      from: `(SELECT rowid FROM papers_fts WHERE papers_fts MATCH ? LIMIT ${Matches.MATCH_SCAN}) f JOIN papers p ON p.doc_id = f.rowid`,
      where: filters.sql,
      params: [expression, ...filters.params],
      expression,
      filtered,
      anyOfWords,
    };
  }

  /** Whether the words match more papers than a filtered query looks at. */
  private scanCapped(source: MatchSource): boolean {
    if (!source.expression) return false;
    const matches = this.statement(
      `SELECT count(*) FROM (SELECT 1 FROM papers_fts WHERE papers_fts MATCH ? LIMIT ${Matches.MATCH_SCAN + 1})`,
    )
      .pluck()
      .get(source.expression) as number;
    return matches > Matches.MATCH_SCAN;
  }

  count(query: SearchQuery, match: WordMatch, bound: number): Matches.MatchCount {
    const source = this.source(query, match);
    if (!source) return { count: 0, exact: true };
    if (source.expression && !source.filtered) {
      const visible = this.countVisible(source.expression, bound, source.anyOfWords);
      if (visible) return visible;
    }
    const count = this.statement(
      `SELECT count(*) FROM (SELECT 1 FROM ${source.from} WHERE ${source.where.join(' AND ')} LIMIT ?)`,
    )
      .pluck()
      .get(...source.params, bound + 1) as number;
    if (count > bound) return { count: bound, exact: false };
    return { count, exact: !this.scanCapped(source) };
  }

  /**
   * The matches of words without filters, counted in the index alone with the hidden papers among them taken off
   * (null when too many papers are hidden): joining each match to its paper row only to check `hidden` cost 15 to
   * 25 ms for a common word at 80k papers, this about 1 ms.
   */
  private countVisible(
    expression: string,
    bound: number,
    anyOfWords: string[] | null,
  ): Matches.MatchCount | null {
    const hidden = this.hiddenPapers.get(HIDDEN_CHECKED + 1) ?? 0;
    if (hidden > HIDDEN_CHECKED) return null;
    // Papers with any of the words are at least as many as those with the commonest: past the bound, nothing
    // needs counting (a long query's commonest word is often in tens of thousands of papers).
    if (anyOfWords && this.keyword.someWordInAtLeast(anyOfWords, bound + 1 + hidden))
      return { count: bound, exact: false };
    const matches = this.indexMatches.get(expression, bound + 1 + hidden) ?? 0;
    const visible = matches - (hidden === 0 ? 0 : (this.hiddenMatches.get(expression) ?? 0));
    return visible > bound ? { count: bound, exact: false } : { count: visible, exact: true };
  }

  sorted(
    query: SearchQuery,
    match: WordMatch,
    order: Matches.MatchOrder,
    limit: number,
  ): Matches.SortedMatch[] {
    const source = this.source(query, match);
    if (!source || limit <= 0) return [];
    return this.statement(
      `SELECT p.id, p.imported_upvotes + p.member_upvotes AS upvotes, ${Matches.MATCH_DAY} AS day
       FROM ${source.from} WHERE ${source.where.join(' AND ')} ORDER BY ${ORDER[order]} LIMIT ?`,
    ).all(...source.params, limit) as Matches.SortedMatch[];
  }

  matching(ids: string[], query: SearchQuery, match: WordMatch): string[] {
    if (ids.length === 0) return [];
    const source = this.source(query, match);
    if (!source) return [];
    const passing = this.statement(
      `SELECT p.id, p.doc_id FROM papers p
       WHERE p.id IN (SELECT value FROM json_each(?)) AND ${source.where.join(' AND ')}`,
    ).all(JSON.stringify(ids), ...source.params.slice(source.expression ? 1 : 0)) as Array<{
      id: string;
      doc_id: number;
    }>;
    if (!source.expression || passing.length === 0) return passing.map((paper) => paper.id);
    // Few matches for the papers checked: look the papers up among them; many: index just these papers' words
    // and match them once (about as costly as reading MATCHES_PER_CHECKED_PAPER matches a paper).
    const few = passing.length * this.matchesPerPaper;
    if (!(source.anyOfWords && this.keyword.someWordInAtLeast(source.anyOfWords, few + 1))) {
      const matches = this.statement('SELECT rowid FROM papers_fts WHERE papers_fts MATCH ? LIMIT ?')
        .pluck()
        .all(source.expression, few + 1) as number[];
      if (matches.length <= few) {
        const matched = new Set(matches);
        return passing.filter((paper) => matched.has(paper.doc_id)).map((paper) => paper.id);
      }
    }
    // Only now the texts: the lookup above needs none of them.
    const texts = this.statement(
      `SELECT p.id, p.doc_id, p.title, p.abstract, p.authors_text FROM papers p
       WHERE p.doc_id IN (SELECT value FROM json_each(?))`,
    ).all(JSON.stringify(passing.map((paper) => paper.doc_id))) as CheckedPaper[];
    return this.checkedIndex().matching(texts, source.expression);
  }

  private checked: CheckedIndex | null = null;

  private checkedIndex(): CheckedIndex {
    this.checked ??= new CheckedIndex();
    return this.checked;
  }

  /** Prepared statements by SQL text; a handful of shapes come back (filters vary), so a few are kept. */
  private statement(sql: string): Database.Statement<unknown[]> {
    let statement = this.statements.get(sql);
    if (!statement) {
      if (this.statements.size >= 64) this.statements.clear();
      statement = this.db.prepare<unknown[]>(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

/**
 * Matches.SearchMatches on SQLite: on the keyword search threads where the database is a file (a count or an order over
 * many matches must not stop the event loop, and costly ones queue in their lane), else on the connection.
 */
export class SqliteSearchMatches implements Matches.SearchMatches {
  private readonly local: MatchQueries;

  constructor(
    db: Database.Database,
    keyword: KeywordSearch,
    private readonly threads: KeywordSearchThreads | null,
  ) {
    this.local = new MatchQueries(db, keyword);
  }

  async count(query: SearchQuery, match: WordMatch, bound: number): Promise<Matches.MatchCount> {
    if (this.threads) return this.threads.run({ kind: 'count', query, match, bound });
    return this.local.count(query, match, bound);
  }

  async sorted(
    query: SearchQuery,
    match: WordMatch,
    order: Matches.MatchOrder,
    limit: number,
  ): Promise<Matches.SortedMatch[]> {
    if (this.threads) return this.threads.run({ kind: 'sorted', query, match, order, limit });
    return this.local.sorted(query, match, order, limit);
  }

  async matching(ids: string[], query: SearchQuery, match: WordMatch): Promise<Set<string>> {
    if (this.threads) return new Set(await this.threads.run({ kind: 'matching', query, match, ids }));
    return new Set(this.local.matching(ids, query, match));
  }
}
