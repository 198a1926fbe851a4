import type pg from 'pg';

/** A paper's list (authors, categories) that a batch replaces; `stored` when the paper has rows to replace. */
export interface ReplacedList<T> {
  id: string;
  stored: boolean;
  list: T[];
}

/** The lists a batch replaces: a paper whose list is null (unknown to its source) keeps its rows. */
export function replacedLists<State extends { stored: unknown }, T>(
  states: Map<string, State>,
  listOf: (state: State) => T[] | null,
): ReplacedList<T>[] {
  return [...states].flatMap(([id, state]) => {
    const list = listOf(state);
    return list === null ? [] : [{ id, stored: Boolean(state.stored), list }];
  });
}

/** Deletes the stored papers' rows of `table`; returns the new rows, one an item with its position. */
export async function replaceRows<T>(
  client: pg.ClientBase,
  table: 'paper_authors' | 'paper_categories',
  replaced: ReplacedList<T>[],
): Promise<Array<{ id: string; position: number; item: T }>> {
  const storedIds = replaced.filter((paper) => paper.stored).map((paper) => paper.id);
  if (storedIds.length > 0)
    await client.query(`DELETE FROM ${table} WHERE paper_id = ANY($1::text[])`, [storedIds]);
  return replaced.flatMap(({ id, list }) => list.map((item, position) => ({ id, position, item })));
}
