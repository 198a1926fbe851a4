import type Database from 'better-sqlite3';
import type { Author, Paper } from '../../domain/paper.ts';
import { PAPER_SELECT, type PaperSelectRow, toAuthor, toPaper } from '../paper-rows.ts';

/** Reads papers by id with their ordered authors and categories, in three queries whatever the count. */
export class PaperReader {
  private readonly statements;

  constructor(db: Database.Database) {
    this.statements = {
      papers: db.prepare<[string], PaperSelectRow>(
        `${PAPER_SELECT} WHERE p.id IN (SELECT value FROM json_each(?))`,
      ),
      authors: db.prepare<[string], { paper_id: string; name: string; hf_id: string | null; hidden: number }>(
        `SELECT pa.paper_id, a.name, pa.hf_id, pa.hidden FROM paper_authors pa JOIN authors a ON a.id = pa.author_id
         WHERE pa.paper_id IN (SELECT value FROM json_each(?)) ORDER BY pa.paper_id, pa.position`,
      ),
      categories: db.prepare<[string], { paper_id: string; category: string }>(
        `SELECT paper_id, category FROM paper_categories
         WHERE paper_id IN (SELECT value FROM json_each(?)) ORDER BY paper_id, position`,
      ),
    };
  }

  /** Papers for the ids, in the order given; unknown ids are left out. */
  read(ids: string[]): Paper[] {
    if (ids.length === 0) return [];
    const json = JSON.stringify(ids);
    const authors = new Map<string, Author[]>();
    for (const row of this.statements.authors.all(json)) {
      const list = authors.get(row.paper_id) ?? [];
      list.push(toAuthor(row.name, row.hf_id, row.hidden));
      authors.set(row.paper_id, list);
    }
    const categories = new Map<string, string[]>();
    for (const row of this.statements.categories.all(json)) {
      const list = categories.get(row.paper_id) ?? [];
      list.push(row.category);
      categories.set(row.paper_id, list);
    }
    const byId = new Map<string, Paper>();
    for (const row of this.statements.papers.all(json)) {
      byId.set(row.id, toPaper(row, authors.get(row.id) ?? [], categories.get(row.id) ?? []));
    }
    return ids.flatMap((id) => byId.get(id) ?? []);
  }
}
