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

/** The `limit` visible papers nearest to paper `id`, as links (what a paper page shows of them), in one query. */
export async function similarPaperLinks(deps: Deps, id: string, limit: number): Promise<PaperLink[]> {
  return (await deps.store.papers.paperLinks(await nearestIds(deps, id, limit))).slice(0, limit);
}

/** The `limit` visible papers nearest to paper `id`, whole (the API's); only as many are read as are shown. */
export async function similarPapers(deps: Deps, id: string, limit: number): Promise<Paper[]> {
  const nearest = await nearestIds(deps, id, limit);
  const shown: Paper[] = [];
  let next = 0;
  while (shown.length < limit && next < nearest.length) {
    const batch = nearest.slice(next, next + limit - shown.length);
    next += batch.length;
    for (const paper of await deps.store.papers.getPapers(batch)) if (!paper.hidden) shown.push(paper);
  }
  return shown;
}
