import { setTimeout as sleep } from 'node:timers/promises';
import type { PaperRecord } from '../domain/paper.ts';
import type { CheckableInput, ParsedItem } from '../sources/parsed-item.ts';
import type { WriteResult } from '../store/papers.ts';
import type { Store } from '../store/store.ts';
import { StagedRecords } from './import-staging.ts';

export interface ImportProgress extends WriteResult {
  /** Records read (and checked) so far. */
  processed: number;
  bad: number;
  /** Links the URL policy refused (not http/https): stored as none. */
  droppedLinks: number;
  /** Records written so far: 0 while an all-or-nothing import is still checking its input. */
  written: number;
}

export interface ImportOptions {
  /** Import the good records and report the bad ones instead of rejecting the whole file. */
  skipBad?: boolean;
  /** Most records written per committed batch (each batch holds the database's write lock while it is written). */
  batchSize?: number;
  /**
   * How long a batch should take to write, in ms: the batch size follows the time batches take. Default: what the
   * store says its site's writes may wait (`Store.waitingWriters.batchMs`).
   */
  batchMs?: number;
  /** Pause after a batch that the site's own writes waited for, in ms, in which they get the lock. */
  pauseMs?: number;
  onProgress?: (progress: ImportProgress) => void;
  /** Aborting stops the import after the batch being written. */
  signal?: AbortSignal;
}

export interface ImportSummary extends ImportProgress {
  /** Bad records (all of them when skipping; they are also counted in `bad`). */
  errors: Error[];
}

/** Thrown when a bad record rejects an all-or-nothing import; nothing was written. */
export class ImportRejectedError extends Error {
  constructor(override readonly cause: Error) {
    super(
      `${cause.message}\nnothing was imported from this file (use --skip-bad to import the good records)`,
    );
    this.name = 'ImportRejectedError';
  }
}

export class ImportAbortedError extends Error {
  constructor(readonly written: number) {
    super(
      written === 0
        ? 'import interrupted: nothing was written'
        : `import interrupted after ${written} papers were written; run it again to complete it (importing twice changes nothing)`,
    );
    this.name = 'ImportAbortedError';
  }
}

const MAX_KEPT_ERRORS = 1000;
const MAX_BATCH_SIZE = 2000;
const MIN_BATCH_SIZE = 20;
const FIRST_BATCH_SIZE = 100;
const DEFAULT_PAUSE_MS = 10;
const PROGRESS_EVERY = 1000;

const isCheckable = (input: AsyncIterable<ParsedItem> | CheckableInput): input is CheckableInput =>
  'check' in input;

/**
 * Imports parsed records in short committed batches, pausing between them, so that a running site keeps writing
 * meanwhile. All or nothing for bad input by default: the whole input is parsed and checked before the first write
 * (a bad record rejects the file with nothing written), either by the input itself (a `CheckableInput`, read again
 * to be written) or into a staging file; with `skipBad` the good records are written as they come. A crash
 * part-way keeps the batches committed so far; as imports are idempotent, running the same import again completes it.
 */
export async function importPapers(
  store: Store,
  input: AsyncIterable<ParsedItem> | CheckableInput,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const summary: ImportSummary = {
    processed: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    bad: 0,
    droppedLinks: 0,
    written: 0,
    errors: [],
  };
  if (isCheckable(input)) {
    if (!options.skipBad) return importChecked(store, input, summary, options);
    input = input.read();
  }
  const checked = goodRecords(input, summary, options);
  if (options.skipBad) {
    await writeInBatches(store, checked, summary, options);
    return summary;
  }
  const staged = await StagedRecords.create();
  try {
    await staged.write(checked);
    if (options.signal?.aborted) throw new ImportAbortedError(0);
    await writeInBatches(store, staged.read(), summary, options);
  } finally {
    await staged.dispose();
  }
  return summary;
}

/** Checks the whole input, then reads it again and writes it. */
async function importChecked(
  store: Store,
  input: CheckableInput,
  summary: ImportSummary,
  options: ImportOptions,
): Promise<ImportSummary> {
  const counted = (counts: { processed: number; droppedLinks: number }) => {
    summary.processed = counts.processed;
    summary.droppedLinks = counts.droppedLinks;
  };
  const checked = await input.check((counts) => {
    counted(counts);
    options.onProgress?.(progressOf(summary));
  });
  counted(checked);
  if (checked.bad) throw new ImportRejectedError(checked.bad);
  if (options.signal?.aborted) throw new ImportAbortedError(0);
  await writeInBatches(store, recheckedRecords(input.read()), summary, options);
  return summary;
}

/** The records of an input read again after its check; a bad one now means it changed and stops the import. */
async function* recheckedRecords(items: AsyncIterable<ParsedItem>): AsyncGenerator<PaperRecord> {
  for await (const item of items) {
    if (!item.ok) throw new Error(`${item.error.message} (the input changed after it was checked)`);
    yield item.record;
  }
}

/** The records of the parsed items, counting them; a bad item is skipped (`skipBad`) or rejects the input. */
async function* goodRecords(
  items: AsyncIterable<ParsedItem>,
  summary: ImportSummary,
  options: ImportOptions,
): AsyncGenerator<PaperRecord> {
  for await (const item of items) {
    if (options.signal?.aborted) throw new ImportAbortedError(0);
    summary.processed++;
    if (summary.processed % PROGRESS_EVERY === 0) options.onProgress?.(progressOf(summary));
    if (item.ok) {
      summary.droppedLinks += item.droppedLinks?.length ?? 0;
      yield item.record;
      continue;
    }
    if (!options.skipBad) throw new ImportRejectedError(item.error);
    summary.bad++;
    if (summary.errors.length < MAX_KEPT_ERRORS) summary.errors.push(item.error);
  }
}

async function writeInBatches(
  store: Store,
  records: AsyncIterable<PaperRecord>,
  summary: ImportSummary,
  options: ImportOptions,
): Promise<void> {
  const maxBatch = options.batchSize ?? MAX_BATCH_SIZE;
  const batchMs = options.batchMs ?? store.waitingWriters.batchMs;
  const pauseMs = options.pauseMs ?? DEFAULT_PAUSE_MS;
  let batchSize = Math.min(FIRST_BATCH_SIZE, maxBatch);
  let lastBatchStarted = Date.now();
  const write = async (batch: PaperRecord[]) => {
    // Only the site's writes that waited for the last batch need the pause; with none, the import goes on.
    if (summary.written > 0 && pauseMs > 0 && store.waitingWriters.waitedSince(lastBatchStarted))
      await sleep(pauseMs);
    if (options.signal?.aborted) throw new ImportAbortedError(summary.written);
    lastBatchStarted = Date.now();
    const started = performance.now();
    const result = await store.papers.writeBatch(batch);
    const took = Math.max(performance.now() - started, 1);
    // Halving or doubling at most per batch: one slow batch (a checkpoint, a busy moment) does not swing it.
    const factor = Math.min(2, Math.max(0.5, batchMs / took));
    batchSize = Math.round(Math.min(maxBatch, Math.max(MIN_BATCH_SIZE, batchSize * factor)));
    summary.written += batch.length;
    summary.inserted += result.inserted;
    summary.updated += result.updated;
    summary.unchanged += result.unchanged;
    options.onProgress?.(progressOf(summary));
  };
  // One batch writes while the next is read and prepared (store.papers.prepareWrite); batches write in order.
  let writing: Promise<void> = Promise.resolve();
  const flush = async (batch: PaperRecord[]) => {
    if (batch.length === 0) return;
    store.papers.prepareWrite(batch);
    await writing;
    writing = write(batch);
    // Its failure is thrown where it is awaited: at the next flush or the end.
    writing.catch(() => {});
  };
  let batch: PaperRecord[] = [];
  try {
    for await (const record of records) {
      batch.push(record);
      if (batch.length >= batchSize) {
        await flush(batch);
        batch = [];
      }
    }
    await flush(batch);
  } finally {
    // Reading may fail while a batch writes: that batch ends (committed or not) before the error goes up.
    await writing.catch(() => {});
  }
  await writing;
  options.onProgress?.(progressOf(summary));
}

function progressOf({ errors: _errors, ...progress }: ImportSummary): ImportProgress {
  return progress;
}
