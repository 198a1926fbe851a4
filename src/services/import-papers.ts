import type { PaperRecord } from '../domain/paper.ts';
import type { ParsedItem } from '../sources/parsed-item.ts';
import type { ImportTransaction, Store, WriteResult } from '../store/store.ts';

export interface ImportProgress extends WriteResult {
  processed: number;
  bad: number;
  /** Links the URL policy refused (not http/https): stored as none. */
  droppedLinks: number;
}

export interface ImportOptions {
  /** Import the good records and report the bad ones instead of rolling the whole file back. */
  skipBad?: boolean;
  batchSize?: number;
  onProgress?: (progress: ImportProgress) => void;
  /** Aborting rolls the import back. */
  signal?: AbortSignal;
}

export interface ImportSummary extends ImportProgress {
  /** Bad records (all of them when skipping; they are also counted in `bad`). */
  errors: Error[];
}

/** Thrown when a bad record rolls an all-or-nothing import back. */
export class ImportRejectedError extends Error {
  constructor(override readonly cause: Error) {
    super(
      `${cause.message}\nnothing was imported from this file (use --skip-bad to import the good records)`,
    );
    this.name = 'ImportRejectedError';
  }
}

export class ImportAbortedError extends Error {
  constructor() {
    super('import interrupted: nothing from this run was kept');
    this.name = 'ImportAbortedError';
  }
}

const MAX_KEPT_ERRORS = 1000;

/**
 * Writes parsed records in batches inside one import transaction: all or nothing by default,
 * or every good record with `skipBad`.
 */
export async function importPapers(
  store: Store,
  items: AsyncIterable<ParsedItem>,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const batchSize = options.batchSize ?? 2000;
  const summary: ImportSummary = {
    processed: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    bad: 0,
    droppedLinks: 0,
    errors: [],
  };
  const tx: ImportTransaction = await store.beginImport();
  let batch: PaperRecord[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const result = await tx.writeBatch(batch);
    summary.inserted += result.inserted;
    summary.updated += result.updated;
    summary.unchanged += result.unchanged;
    batch = [];
    options.onProgress?.({ ...summary });
  };
  try {
    for await (const item of items) {
      if (options.signal?.aborted) throw new ImportAbortedError();
      summary.processed++;
      if (!item.ok) {
        if (!options.skipBad) throw new ImportRejectedError(item.error);
        summary.bad++;
        if (summary.errors.length < MAX_KEPT_ERRORS) summary.errors.push(item.error);
        continue;
      }
      summary.droppedLinks += item.droppedLinks?.length ?? 0;
      batch.push(item.record);
      if (batch.length >= batchSize) await flush();
    }
    await flush();
    if (options.signal?.aborted) throw new ImportAbortedError();
    await tx.commit();
  } catch (error) {
    await tx.rollback();
    throw error;
  }
  options.onProgress?.({ ...summary });
  return summary;
}
