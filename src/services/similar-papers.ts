import type { SemanticSearch } from '../search-index/semantic-search.ts';
import type { PaperLink } from '../store/papers.ts';
import type { Store } from '../store/store.ts';

/**
 * The `limit` visible papers nearest to paper `id` by meaning, as links (what a paper page shows of them): twice as
 * many neighbours are asked for, in case some are hidden, and read in one query of their titles, days and upvotes.
 */
export async function similarPaperLinks(
  deps: { store: Store; semantic?: SemanticSearch | null },
  id: string,
  limit: number,
): Promise<PaperLink[]> {
  if (!deps.semantic) return [];
  const nearest = (await deps.semantic.similar(id, limit * 2)).map((hit) => hit.id);
  return (await deps.store.papers.paperLinks(nearest)).slice(0, limit);
}
