import type pg from 'pg';
import type { Paper } from '../../domain/paper.ts';
import { PAPER_SELECT, type PaperSelectRow, toPaper } from '../paper-rows.ts';
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
    const byId = new Map(result.rows.map((row) => [row.id, toPaper(row, row.categories)]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }
}
