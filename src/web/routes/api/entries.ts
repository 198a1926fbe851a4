import type { Paper } from '../../../domain/paper.ts';
import type { PaperStore } from '../../../store/papers.ts';
import { toHfDailyEntry } from '../../api/hf-entry.ts';

/** Papers as entries of Hugging Face's daily papers list, with the Hugging Face entries they were imported with. */
export async function hfEntries(papers: PaperStore, list: Paper[], baseUrl: string) {
  const extras = await papers.hfExtras(list.map((paper) => paper.id));
  return list.map((paper) => toHfDailyEntry(paper, extras.get(paper.id) ?? null, baseUrl));
}
