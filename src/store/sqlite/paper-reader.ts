import type Database from 'better-sqlite3';
import type { HfExtra, Paper } from '../../domain/paper.ts';
import {
  hfExtrasOf,
  inOrderOf,
  LINK_COLUMNS,
  PAPER_SELECT,
  type PaperSelectRow,
  toPaper,
} from '../paper-rows.ts';
import type { PaperLink } from '../papers.ts';

/** The visible papers of a JSON array of ids as links: from the papers_links index alone (migration 022). */
export const LINKS_SELECT = `SELECT ${LINK_COLUMNS} FROM papers p LEFT JOIN daily_entries d ON d.paper_id = p.id
  WHERE p.id IN (SELECT value FROM json_each(?)) AND p.hidden = 0`;

/**
 * Reads papers by id with their ordered authors (on the paper's row, migration 016) and categories, in two queries
 * whatever the count.
 */
export class PaperReader {
  private readonly statements;

  constructor(db: Database.Database) {
    this.statements = {
      papers: db
        .prepare<[string], PaperSelectRow>(`${PAPER_SELECT} WHERE p.id IN (SELECT value FROM json_each(?))`)
        .raw(),
      categories: db.prepare<[string], { paper_id: string; category: string }>(
        `SELECT paper_id, category FROM paper_categories
         WHERE paper_id IN (SELECT value FROM json_each(?)) ORDER BY paper_id, position`,
      ),
      links: db.prepare<[string], PaperLink>(LINKS_SELECT),
      hfExtras: db.prepare<[string], { id: string; hf_extra: string }>(
        'SELECT paper_id AS id, hf_extra FROM paper_hf_extras WHERE paper_id IN (SELECT value FROM json_each(?))',
      ),
    };
  }

  /** Papers for the ids, in the order given; unknown ids are left out. */
  read(ids: string[]): Paper[] {
    if (ids.length === 0) return [];
    const json = JSON.stringify(ids);
    const categories = new Map<string, string[]>();
    for (const row of this.statements.categories.all(json)) {
      const list = categories.get(row.paper_id);
      if (list) list.push(row.category);
      else categories.set(row.paper_id, [row.category]);
    }
    const papers = this.statements.papers.all(json).map((row) => toPaper(row, categories.get(row[0]) ?? []));
    return inOrderOf(ids, papers);
  }

  /** The Hugging Face entries of the ids' papers that have one, by id. */
  hfExtras(ids: string[]): Map<string, HfExtra> {
    if (ids.length === 0) return new Map();
    return hfExtrasOf(this.statements.hfExtras.all(JSON.stringify(ids)));
  }

  /** The visible papers among the ids as links, in the order given. */
  links(ids: string[]): PaperLink[] {
    if (ids.length === 0) return [];
    return inOrderOf(ids, this.statements.links.all(JSON.stringify(ids)));
  }
}
