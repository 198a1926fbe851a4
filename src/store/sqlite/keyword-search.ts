import type Database from 'better-sqlite3';
import type { SearchQuery } from '../../domain/search-query.ts';
import type { KeywordHit, SearchSignals } from '../store.ts';
import { excludedExpression, matchExpression, requiredExpression } from './fts-expression.ts';

/** BM25 column weights: title, abstract, authors. */
const WEIGHTS = '10.0, 1.0, 3.0';

/** SQL conditions on `p` (papers) for the query's filters and exclusions, with their parameters. */
function filterConditions(query: SearchQuery): { sql: string[]; params: unknown[] } {
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

/** Ranking words kept per query, rarest first: each common word makes every query slower and ranks little. */
const MAX_RANKING_WORDS = 8;
/** Words in more than this share of papers rank nothing (the, of, model) unless nothing else is left. */
const COMMON_SHARE = 0.3;
const DF_CACHE_SIZE = 50_000;

/** Keyword search and search filters on the FTS5 index (see migration 004). */
export class KeywordSearch {
  private readonly documentFrequency = new Map<string, number>();
  private readonly countMatches: Database.Statement<[string], number>;
  private readonly countPapers: Database.Statement<[], number>;

  constructor(private readonly db: Database.Database) {
    this.countMatches = db
      .prepare<[string], number>('SELECT count(*) FROM papers_fts WHERE papers_fts MATCH ?')
      .pluck();
    this.countPapers = db.prepare<[], number>('SELECT count(*) FROM papers').pluck();
  }

  /** How many papers contain the word; cached, as it changes slowly and only matters roughly. */
  private frequency(word: string): number {
    let count = this.documentFrequency.get(word);
    if (count === undefined) {
      if (this.documentFrequency.size >= DF_CACHE_SIZE) this.documentFrequency.clear();
      count = this.countMatches.get(`"${word.replaceAll('"', '""')}"`) ?? 0;
      this.documentFrequency.set(word, count);
    }
    return count;
  }

  /** The informative words of the query: rarest first, common ones dropped while rarer ones remain. */
  private rankingWords(words: string[]): string[] {
    if (words.length <= 2) return words;
    const papers = Math.max(1, this.countPapers.get() ?? 1);
    const byRarity = words
      .map((word) => ({ word, count: this.frequency(word) }))
      .filter((entry) => entry.count > 0)
      .sort((a, b) => a.count - b.count);
    // On a small collection every word looks common; keep them all there.
    const informative =
      papers < 1_000
        ? byRarity
        : byRarity.filter((entry, index) => index === 0 || entry.count / papers <= COMMON_SHARE);
    return informative.slice(0, MAX_RANKING_WORDS).map((entry) => entry.word);
  }

  /** Best BM25 matches first; a query of filters only lists the newest papers that pass them. */
  search(query: SearchQuery, limit: number): KeywordHit[] {
    const rankingWords = this.rankingWords(query.words);
    if (query.words.length > 0 && rankingWords.length === 0 && !requiredExpression(query)) return [];
    const match = matchExpression(query, rankingWords);
    const filters = filterConditions(query);
    if (!match) {
      const rows = this.db
        .prepare<unknown[], { id: string }>(
          `SELECT p.id FROM papers p WHERE ${filters.sql.join(' AND ')}
           ORDER BY p.published_at DESC, p.id DESC LIMIT ?`,
        )
        .all(...filters.params, limit);
      return rows.map((row, index) => ({ id: row.id, score: 1 / (index + 1) }));
    }
    // Rank in the index first and join the few best; with filters, rank more so enough of them pass.
    const filtered = filters.sql.length > 1;
    return this.db
      .prepare<unknown[], KeywordHit>(
        `SELECT p.id, -f.rank AS score FROM (
           SELECT rowid, bm25(papers_fts, ${WEIGHTS}) AS rank FROM papers_fts WHERE papers_fts MATCH ?
           ORDER BY rank LIMIT ?
         ) f JOIN papers p ON p.doc_id = f.rowid
         WHERE ${filters.sql.join(' AND ')} ORDER BY f.rank LIMIT ?`,
      )
      .all(match, filtered ? 20_000 : limit * 2, ...filters.params, limit);
  }
  /** Of `ids`, those that pass the filters, required phrases and authors, and exclusions. */
  filter(ids: string[], query: SearchQuery): Set<string> {
    if (ids.length === 0) return new Set();
    const filters = filterConditions(query);
    const required = requiredExpression(query);
    if (required) {
      filters.sql.push('p.doc_id IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?)');
      filters.params.push(required);
    }
    const rows = this.db
      .prepare<unknown[], string>(
        `SELECT p.id FROM papers p WHERE p.id IN (SELECT value FROM json_each(?)) AND ${filters.sql.join(' AND ')}`,
      )
      .pluck()
      .all(JSON.stringify(ids), ...filters.params);
    return new Set(rows);
  }

  signals(ids: string[]): Map<string, SearchSignals> {
    const rows = this.db
      .prepare<[string], { id: string; upvotes: number; day: string | null; hidden: number }>(
        `SELECT p.id, p.imported_upvotes + p.member_upvotes AS upvotes, p.hidden,
                COALESCE(d.day, substr(p.published_at, 1, 10)) AS day
         FROM papers p LEFT JOIN daily_entries d ON d.paper_id = p.id
         WHERE p.id IN (SELECT value FROM json_each(?))`,
      )
      .all(JSON.stringify(ids));
    return new Map(
      rows.map((row) => [row.id, { upvotes: row.upvotes, day: row.day, hidden: row.hidden === 1 }]),
    );
  }
}
