import type pg from 'pg';
import type { HfExtra, Paper } from '../../domain/paper.ts';
import {
  hfExtrasOf,
  inOrderOf,
  LINK_COLUMNS,
  PAPER_COLUMNS,
  type PaperSelectRow,
  toPaper,
} from '../paper-rows.ts';
import type { PaperLink } from '../papers.ts';
import { namedStatement } from './sql.ts';

/**
 * A paper's daily entry `d`, looked up by its id. As a plain join, the planner's generic plan for a hundred ids
 * reads all of daily_entries into a hash (a read of 100 papers took 1.4 ms more at 80k); OFFSET 0 keeps the
 * sub-select apart, so each paper's entry is found through the primary key.
 */
export const DAILY_ENTRY =
  'LEFT JOIN LATERAL (SELECT * FROM daily_entries d WHERE d.paper_id = p.id OFFSET 0) d ON true';

/**
 * PAPER_COLUMNS with the ordered categories of each paper (its authors are on its row, migration 015), read from
 * the index of migration 021.
 */
const PAPER_SELECT_WITH_CATEGORIES = `SELECT ${PAPER_COLUMNS},
    ARRAY(SELECT c.category FROM paper_categories c WHERE c.paper_id = p.id ORDER BY c.position) AS categories
  FROM papers p
  LEFT JOIN LATERAL (SELECT * FROM organizations o WHERE o.id = p.organization_id OFFSET 0) o ON true
  ${DAILY_ENTRY}`;

type PaperSelectRowWithCategories = [...PaperSelectRow, categories: string[]];
/** The categories' place in a row: after PAPER_COLUMNS' 31 (a row of another length fails the type check). */
const CATEGORIES = 31;

/** Reads papers by id with their ordered authors and categories: one query (and one snapshot) whatever the count. */
export class PaperReader {
  constructor(private readonly pool: pg.Pool) {}

  /** Papers for the ids, in the order given; unknown ids are left out. */
  async read(ids: string[]): Promise<Paper[]> {
    if (ids.length === 0) return [];
    const result = await this.pool.query<PaperSelectRowWithCategories>({
      ...namedStatement(`${PAPER_SELECT_WITH_CATEGORIES} WHERE p.id = ANY($1::text[])`, [[...new Set(ids)]]),
      rowMode: 'array',
    });
    return inOrderOf(
      ids,
      result.rows.map((row) => toPaper(row, row[CATEGORIES])),
    );
  }

  /** The Hugging Face entries of the ids' papers that have one, by id. */
  async hfExtras(ids: string[]): Promise<Map<string, HfExtra>> {
    if (ids.length === 0) return new Map();
    const result = await this.pool.query<{ id: string; hf_extra: string }>(
      namedStatement(
        'SELECT paper_id AS id, hf_extra FROM paper_hf_extras WHERE paper_id = ANY($1::text[])',
        [[...new Set(ids)]],
      ),
    );
    return hfExtrasOf(result.rows);
  }

  /** The visible papers among the ids as links, in the order given. */
  async links(ids: string[]): Promise<PaperLink[]> {
    if (ids.length === 0) return [];
    const result = await this.pool.query<PaperLink>(
      namedStatement(
        `SELECT ${LINK_COLUMNS} FROM papers p ${DAILY_ENTRY}
         WHERE p.id = ANY($1::text[]) AND p.hidden = 0`,
        [[...new Set(ids)]],
      ),
    );
    return inOrderOf(ids, result.rows);
  }
}
