import type Database from 'better-sqlite3';
import type { SearchQuery } from '../../domain/search-query.ts';
import type { KeywordHit } from '../store.ts';
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

/** Keyword search and search filters on the FTS5 index (see migration 004). */
export class KeywordSearch {
  constructor(private readonly db: Database.Database) {}

  /** Best BM25 matches first; a query of filters only lists the newest papers that pass them. */
  search(query: SearchQuery, limit: number): KeywordHit[] {
    const match = matchExpression(query);
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
    return this.db
      .prepare<unknown[], KeywordHit>(
        `SELECT p.id, -bm25(papers_fts, ${WEIGHTS}) AS score FROM papers_fts f JOIN papers p ON p.doc_id = f.rowid
         WHERE papers_fts MATCH ? AND ${filters.sql.join(' AND ')}
         ORDER BY bm25(papers_fts, ${WEIGHTS}) LIMIT ?`,
      )
      .all(match, ...filters.params, limit);
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
}
