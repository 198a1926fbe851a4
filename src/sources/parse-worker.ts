// Runs in a worker thread: reads and parses one input, posting batches of parsed items to the main thread,
// which writes them to the database meanwhile. At most MAX_IN_FLIGHT batches wait unacknowledged, so a large
// file is never buffered whole.
import { parentPort, workerData } from 'node:worker_threads';
import { readArxivJsonl } from './arxiv-jsonl.ts';
import { readHfDaily } from './hf-daily.ts';
import { openInput } from './open-input.ts';
import type { ParseTask, WireItem, WorkerMessage } from './parse-in-worker.ts';
import type { ParsedItem } from './parsed-item.ts';
import { SourceRecordError } from './record-error.ts';

const BATCH = 500;
const MAX_IN_FLIGHT = 4;

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

async function run(task: ParseTask): Promise<void> {
  const input = await openInput(task.location);
  send({ type: 'opened', name: input.name, size: input.size });
  const items =
    task.format === 'hf-daily'
      ? readHfDaily(input.stream, input.name)
      : readArxivJsonl(input.stream, input.name, { listOnDay: task.listOnDay });
  let batch: WireItem[] = [];
  const flush = async () => {
    if (inFlight >= MAX_IN_FLIGHT) await new Promise<void>((resolve) => (wake = resolve));
    inFlight++;
    send({ type: 'items', items: batch, bytesRead: input.bytesRead() });
    batch = [];
  };
  try {
    for await (const item of items) {
      batch.push(toWire(item));
      if (batch.length >= BATCH) await flush();
    }
  } catch (error) {
    throw new Error(`${input.name}: ${(error as Error).message}`);
  }
  if (batch.length > 0) await flush();
  send({ type: 'done', bytesRead: input.bytesRead() });
}

run(workerData as ParseTask).catch((error: Error) => {
  send({ type: 'failed', message: error.message, name: error.name });
});
