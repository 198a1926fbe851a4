// Runs in a worker thread: reads and parses one input, posting batches of parsed items to the main thread,
// which writes them to the database meanwhile. At most MAX_IN_FLIGHT batches wait unacknowledged, so a large
// file is never buffered whole. A `checkOnly` task posts no items, only how many were read and the first bad one.
import { parentPort, workerData } from 'node:worker_threads';
import { readArxivJsonl } from './arxiv-jsonl.ts';
import { readHfDaily } from './hf-daily.ts';
import { openInput } from './open-input.ts';
import type { ParseTask, WireItem, WorkerMessage } from './parse-in-worker.ts';
import type { ParsedItem } from './parsed-item.ts';
import { SourceRecordError } from './record-error.ts';

const BATCH = 500;
const MAX_IN_FLIGHT = 4;
const CHECK_PROGRESS_EVERY = 2000;

const port = parentPort;
if (!port) throw new Error('parse-worker must run in a worker thread');

let inFlight = 0;
let wake: (() => void) | null = null;
port.on('message', () => {
  inFlight--;
  wake?.();
  wake = null;
});

function send(message: WorkerMessage): void {
  port?.postMessage(message);
}

function toWire(item: ParsedItem): WireItem {
  if (item.ok) return item;
  const error = item.error;
  return error instanceof SourceRecordError
    ? { ok: false, file: error.file, line: error.line, entry: error.entry, reason: error.reason }
    : { ok: false, file: '', line: null, entry: null, reason: error.message };
}

async function sendItems(items: AsyncIterable<ParsedItem>, bytesRead: () => number): Promise<void> {
  let batch: WireItem[] = [];
  const flush = async () => {
    if (inFlight >= MAX_IN_FLIGHT) await new Promise<void>((resolve) => (wake = resolve));
    inFlight++;
    send({ type: 'items', items: batch, bytesRead: bytesRead() });
    batch = [];
  };
  for await (const item of items) {
    batch.push(toWire(item));
    if (batch.length >= BATCH) await flush();
  }
  if (batch.length > 0) await flush();
}

/** Reads every item, keeping none: counts, and stops at the first bad one. */
async function checkItems(items: AsyncIterable<ParsedItem>, bytesRead: () => number): Promise<void> {
  const counts = { processed: 0, droppedLinks: 0 };
  for await (const item of items) {
    if (!item.ok) {
      send({ type: 'bad', item: toWire(item) });
      return;
    }
    counts.processed++;
    counts.droppedLinks += item.droppedLinks?.length ?? 0;
    if (counts.processed % CHECK_PROGRESS_EVERY === 0)
      send({ type: 'checked', ...counts, bytesRead: bytesRead() });
  }
  send({ type: 'checked', ...counts, bytesRead: bytesRead() });
}

async function run(task: ParseTask): Promise<void> {
  const input = await openInput(task.location);
  const name = task.name ?? input.name;
  send({ type: 'opened', name, size: input.size });
  const items =
    task.format === 'hf-daily'
      ? readHfDaily(input.stream, name)
      : readArxivJsonl(input.stream, name, { listOnDay: task.listOnDay, share: task.share });
  try {
    if (task.checkOnly) await checkItems(items, input.bytesRead);
    else await sendItems(items, input.bytesRead);
  } catch (error) {
    throw new Error(`${name}: ${(error as Error).message}`);
  }
  send({ type: 'done', bytesRead: input.bytesRead() });
}

run(workerData as ParseTask).catch((error: Error) => {
  send({ type: 'failed', message: error.message, name: error.name });
});
