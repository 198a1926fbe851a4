import type { Paper } from '../../../domain/paper.ts';
import { toHfDailyEntry } from '../../api/hf-entry.ts';

/** Papers as entries of Hugging Face's daily papers list. */
export function hfEntries(papers: Paper[], baseUrl: string) {
  return papers.map((paper) => toHfDailyEntry(paper, baseUrl));
}
