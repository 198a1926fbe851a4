import { type HarvestPage, OaiError, type OaiHarvestOptions } from '../sources/oai-pmh.ts';
import type { Store } from '../store/store.ts';

export interface HarvestProgress {
  pages: number;
  records: number;
  deleted: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** Records the repository says the whole list holds, when it says. */
  completeListSize: number | null;
  /** Records harvested so far in the whole list (including earlier runs), when the repository says. */
  cursor: number | null;
}

export interface HarvestIntoStoreOptions extends Omit<OaiHarvestOptions, 'resumptionToken'> {
  /** Ignore a saved resumption token and start the list over. */
  restart?: boolean;
  onPage?: (progress: HarvestProgress) => void;
  signal?: AbortSignal;
}

export type Harvester = (options: OaiHarvestOptions) => AsyncIterable<HarvestPage>;

/** The key a harvest's resumption token is saved under: one per (repository, set, date range). */
export function harvestCursorKey(options: OaiHarvestOptions): string {
  return `oai ${options.baseUrl ?? 'default'} set=${options.set ?? ''} from=${options.from ?? ''} until=${options.until ?? ''}`;
}

/**
 * Harvests page by page; each page's records and the token for the next page are committed together,
 * so a crash or Ctrl-C resumes at the first page not yet stored: no gaps, no duplicates.
 */
export async function harvestIntoStore(
  store: Store,
  harvest: Harvester,
  options: HarvestIntoStoreOptions,
): Promise<HarvestProgress & { resumed: boolean }> {
  const { restart, onPage, signal, ...harvestOptions } = options;
  const key = harvestCursorKey(harvestOptions);
  if (restart) await store.papers.clearImportCursor(key);
  const saved = await store.papers.getImportCursor(key);
  const resumptionToken = saved ? saved : undefined;
  const progress: HarvestProgress = {
    pages: 0,
    records: 0,
    deleted: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    completeListSize: null,
    cursor: null,
  };
  const pages = harvest({ ...harvestOptions, ...(resumptionToken && { resumptionToken }) });
  for await (const page of withResumeAdvice(pages, resumptionToken !== undefined)) {
    // An empty value marks a finished list, so a crash before the cursor is cleared does not resume past the end.
    const result = await store.papers.writeBatch(page.records, { key, value: page.nextToken ?? '' });
    progress.pages++;
    progress.records += page.records.length;
    progress.deleted += page.deleted.length;
    progress.inserted += result.inserted;
    progress.updated += result.updated;
    progress.unchanged += result.unchanged;
    progress.completeListSize = page.completeListSize ?? progress.completeListSize;
    progress.cursor = page.cursor === null ? null : page.cursor + page.records.length + page.deleted.length;
    onPage?.({ ...progress });
    if (signal?.aborted) break;
  }
  if (!signal?.aborted) await store.papers.clearImportCursor(key);
  return { ...progress, resumed: resumptionToken !== undefined };
}

/** A saved token can expire between runs; say how to get going again. */
async function* withResumeAdvice(
  pages: AsyncIterable<HarvestPage>,
  resumed: boolean,
): AsyncGenerator<HarvestPage> {
  try {
    yield* pages;
  } catch (error) {
    if (resumed && error instanceof OaiError && error.code === 'badResumptionToken') {
      throw new OaiError(
        error.code,
        `${error.detail} The harvest saved from an earlier run can no longer resume; run again with --restart.`,
      );
    }
    throw error;
  }
}
