import type { PaperRecord } from '../domain/paper.ts';
import type { LinkField } from '../domain/paper-record-rules.ts';
import { startTypeScriptWorker } from '../typescript-worker.ts';
import { InputError } from './open-input.ts';
import type { ParsedItem } from './parsed-item.ts';
import { SourceRecordError } from './record-error.ts';

export type ParseTask = { location: string } & (
  | { format: 'hf-daily' }
  | { format: 'arxiv-jsonl'; listOnDay: boolean }
);

export type WireItem =
  | { ok: true; record: PaperRecord; droppedLinks?: readonly LinkField[] }
  | { ok: false; file: string; line: number | null; entry: number | null; reason: string };

export type WorkerMessage =
  | { type: 'opened'; name: string; size: number | null }
  | { type: 'items'; items: WireItem[]; bytesRead: number }
  | { type: 'done'; bytesRead: number }
  | { type: 'failed'; message: string; name: string };

export interface ParsedInput {
  name: string;
  size: number | null;
  bytesRead(): number;
  items: AsyncIterable<ParsedItem>;
}

function fromWire(item: WireItem): ParsedItem {
  if (item.ok) return item;
  return { ok: false, error: new SourceRecordError(item.file, item.line, item.reason, item.entry) };
}

/**
 * Reads and parses an input file or URL in a worker thread, so parsing (gunzip, JSON, validation) runs on the
 * second core while the caller writes to the database.
 */
export async function parseInWorker(task: ParseTask): Promise<ParsedInput> {
  const worker = startTypeScriptWorker(new URL('./parse-worker.ts', import.meta.url), {
    workerData: task,
    // Parsing holds a few batches at a time; a small heap keeps the import's memory flat.
    resourceLimits: { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 128 },
  });
  const queue: WorkerMessage[] = [];
  let notify: (() => void) | null = null;
  const next = async (): Promise<WorkerMessage> => {
    while (queue.length === 0) await new Promise<void>((resolve) => (notify = resolve));
    return queue.shift() as WorkerMessage;
  };
  worker.on('message', (message: WorkerMessage) => {
    queue.push(message);
    notify?.();
    notify = null;
  });
  worker.on('error', (error) => {
    queue.push({ type: 'failed', message: error.message, name: error.name });
    notify?.();
  });

  const first = await next();
  if (first.type === 'failed') {
    await worker.terminate();
    throw first.name === 'InputError' ? new InputError(first.message) : new Error(first.message);
  }
  if (first.type !== 'opened') throw new Error('parse worker: unexpected first message');
  let bytesRead = 0;

  async function* items(): AsyncGenerator<ParsedItem> {
    try {
      while (true) {
        const message = await next();
        if (message.type === 'items') {
          bytesRead = message.bytesRead;
          worker.postMessage('ack');
          for (const item of message.items) yield fromWire(item);
        } else if (message.type === 'done') {
          bytesRead = message.bytesRead;
          return;
        } else if (message.type === 'failed') {
          throw new InputError(message.message);
        }
      }
    } finally {
      await worker.terminate();
    }
  }

  return { name: first.name, size: first.size, bytesRead: () => bytesRead, items: items() };
}
