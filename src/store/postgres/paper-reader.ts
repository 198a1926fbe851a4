import type pg from 'pg';
import type { Paper } from '../../domain/paper.ts';
import { inOrderOf, LINK_COLUMNS, PAPER_SELECT, type PaperSelectRow, toPaper } from '../paper-rows.ts';
import type { PaperLink } from '../papers.ts';
import { namedStatement } from './sql.ts';

/** With the ordered categories of each paper (its authors are on its row, migration 015). */
const PAPER_SELECT_WITH_CATEGORIES = PAPER_SELECT.replace(
  'FROM papers p',
  `, ARRAY(SELECT c.category FROM paper_categories c WHERE c.paper_id = p.id ORDER BY c.position) AS categories
  FROM papers p`,
);

interface PaperSelectRowWithCategories extends PaperSelectRow {
  categories: string[];
}

/** Reads papers by id with their ordered authors and categories: one query (and one snapshot) whatever the count. */
export class PaperReader {
  constructor(private readonly pool: pg.Pool) {}

  /** Papers for the ids, in the order given; unknown ids are left out. */
  async read(ids: string[]): Promise<Paper[]> {
    if (ids.length === 0) return [];
    const result = await this.pool.query<PaperSelectRowWithCategories>(
      namedStatement(`${PAPER_SELECT_WITH_CATEGORIES} WHERE p.id = ANY($1::text[])`, [[...new Set(ids)]]),
    );
    return inOrderOf(
      ids,
      result.rows.map((row) => toPaper(row, row.categories)),
    );
  }

  /** The visible papers among the ids as links, in the order given. */
  async links(ids: string[]): Promise<PaperLink[]> {
    if (ids.length === 0) return [];
    const result = await this.pool.query<PaperLink>(
      namedStatement(
        `SELECT ${LINK_COLUMNS} FROM papers p LEFT JOIN daily_entries d ON d.paper_id = p.id
         WHERE p.id = ANY($1::text[]) AND p.hidden = 0`,
        [[...new Set(ids)]],
      ),
    );
    return inOrderOf(ids, result.rows);
  }
}
