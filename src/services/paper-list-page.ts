import type { Paper } from '../domain/paper.ts';
import type { ListOptions, PaperFilter, PaperStore } from '../store/papers.ts';

/**
 * A page of the papers a filter lists, and how many it lists in all. A page that is not full tells the count
 * (papers before it and on it), which is then not counted apart: a day's list mostly fits on its first page.
 */
export async function paperListPage(
  papers: PaperStore,
  filter: PaperFilter,
  options: ListOptions & { limit: number; offset: number },
): Promise<{ papers: Paper[]; total: number }> {
  const page = await papers.listPapers(filter, options);
  const told = page.length < options.limit && (page.length > 0 || options.offset === 0);
  return { papers: page, total: told ? options.offset + page.length : await papers.countPapers(filter) };
}
