import type { Paper } from '../domain/paper.ts';
import type { SemanticSearch } from '../search-index/semantic-search.ts';
import type { PaperLink } from '../store/papers.ts';
import type { Store } from '../store/store.ts';

type Deps = { store: Store; semantic?: SemanticSearch | null };

/** Twice as many papers nearest to paper `id` by meaning as are shown, in case some are hidden; none without an index. */
async function nearestIds(deps: Deps, id: string, limit: number): Promise<string[]> {
  if (!deps.semantic) return [];
  return (await deps.semantic.similar(id, limit * 2)).map((hit) => hit.id);
}

/**
 * The first `limit` of the ids that `read` answers (it leaves hidden papers out), in order: only as many read at a
 * time as are still to show, so that the spare ids are read only when a paper is hidden.
 */
async function firstShown<T>(
  ids: string[],
  limit: number,
  read: (ids: string[]) => Promise<T[]>,
): Promise<T[]> {
  const shown: T[] = [];
  let next = 0;
  while (shown.length < limit && next < ids.length) {
    const batch = ids.slice(next, next + limit - shown.length);
    next += batch.length;
    shown.push(...(await read(batch)));
  }
  return shown;
}

/** The `limit` visible papers nearest to paper `id`, as links (what a paper page shows of them). */
export async function similarPaperLinks(deps: Deps, id: string, limit: number): Promise<PaperLink[]> {
  return firstShown(await nearestIds(deps, id, limit), limit, (ids) => deps.store.papers.paperLinks(ids));
}

/** The `limit` visible papers nearest to paper `id`, whole (the API's). */
export async function similarPapers(deps: Deps, id: string, limit: number): Promise<Paper[]> {
  return firstShown(await nearestIds(deps, id, limit), limit, async (ids) =>
    (await deps.store.papers.getPapers(ids)).filter((paper) => !paper.hidden),
  );
}
