import type pg from 'pg';
import type { Paper } from '../../domain/paper.ts';
import { PAPER_SELECT, type PaperSelectRow, toAuthor, toPaper } from '../paper-rows.ts';

/** With the ordered authors ([name, hf_id, hidden] each) and categories of each paper. */
const PAPER_SELECT_WITH_LISTS = PAPER_SELECT.replace(
  'FROM papers p',
  `, (SELECT json_agg(json_build_array(a.name, pa.hf_id, pa.hidden) ORDER BY pa.position)
      FROM paper_authors pa JOIN authors a ON a.id = pa.author_id WHERE pa.paper_id = p.id) AS authors,
    ARRAY(SELECT c.category FROM paper_categories c WHERE c.paper_id = p.id ORDER BY c.position) AS categories
  FROM papers p`,
);

interface PaperSelectRowWithLists extends PaperSelectRow {
  authors: Array<[string, string | null, number]> | null;
  categories: string[];
}

/** Reads papers by id with their ordered authors and categories: one query (and one snapshot) whatever the count. */
export class PaperReader {
  constructor(private readonly pool: pg.Pool) {}

  /** Papers for the ids, in the order given; unknown ids are left out. */
  async read(ids: string[]): Promise<Paper[]> {
    if (ids.length === 0) return [];
    const result = await this.pool.query<PaperSelectRowWithLists>(
      `${PAPER_SELECT_WITH_LISTS} WHERE p.id = ANY($1::text[])`,
      [[...new Set(ids)]],
    );
    const byId = new Map(
      result.rows.map((row) => [
        row.id,
        toPaper(
          row,
          (row.authors ?? []).map(([name, hfId, hidden]) => toAuthor(name, hfId, hidden)),
          row.categories,
        ),
      ]),
    );
    return ids.flatMap((id) => byId.get(id) ?? []);
  }
}
