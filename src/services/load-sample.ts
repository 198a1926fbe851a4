import { createReadStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readHfDaily } from '../sources/hf-daily.ts';
import type { Store } from '../store/store.ts';
import { importPapers } from './import-papers.ts';

/** Real Hugging Face Daily Papers listings of 60 days, shipped so a new site shows real papers at once. */
export const SAMPLE_FILE = fileURLToPath(
  new URL('../../sample/hf-daily-papers-sample.jsonl.gz', import.meta.url),
);

/** Loads the bundled sample into an empty store; returns the number of papers loaded (0 when not empty). */
export async function loadSampleIfEmpty(store: Store): Promise<number> {
  if ((await store.papers.countPapers()) > 0) return 0;
  const summary = await importPapers(store, readHfDaily(createReadStream(SAMPLE_FILE), 'sample'), {
    skipBad: true,
  });
  return summary.inserted;
}
