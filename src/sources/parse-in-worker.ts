import type { PaperRecord } from '../domain/paper.ts';
import type { LinkField } from '../domain/paper-record-rules.ts';
import { startTypeScriptWorker } from '../typescript-worker.ts';
import type { LineShare } from './arxiv-jsonl.ts';
import { InputError } from './open-input.ts';
import type { CheckCounts, ParsedItem } from './parsed-item.ts';
import { SourceRecordError } from './record-error.ts';

export type ParseTask = {
  location: string;
  /** The input's name in messages, when `location` is a copy of it. */
  name?: string;
  /** Post no items: only how many were read and the first bad one (`checkInWorkers`). */
  checkOnly?: boolean;
} & ({ format: 'hf-daily' } | { format: 'arxiv-jsonl'; listOnDay: boolean; share?: LineShare });

export type WireItem =
  | { ok: true; record: PaperRecord; droppedLinks?: readonly LinkField[] }
  | { ok: false; file: string; line: number | null; entry: number | null; reason: string };

export type WorkerMessage =
  | { type: 'opened'; name: string; size: number | null }
  | { type: 'items'; items: WireItem[]; bytesRead: number }
  | ({ type: 'checked'; bytesRead: number } & CheckCounts)
  | { type: 'bad'; item: WireItem }
  | { type: 'done'; bytesRead: number }
  | { type: 'failed'; message: string; name: string };

/** What the main thread hears when a worker has exited (after `done`, or when terminated). */
type Received = WorkerMessage | { type: 'exited' };

const EXITED_EARLY = 'the parse worker stopped before the end of the input';

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

/** A parse worker and its messages, taken one at a time. */
async function startParseWorker(task: ParseTask) {
  const worker = startTypeScriptWorker(new URL('./parse-worker.ts', import.meta.url), {
    workerData: task,
    // Parsing holds a few batches at a time; a small heap keeps the import's memory flat.
    resourceLimits: { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 128 },
  });
  const queue: Received[] = [];
  let notify: (() => void) | null = null;
  const next = async (): Promise<Received> => {
    while (queue.length === 0) await new Promise<void>((resolve) => (notify = resolve));
    return queue.shift() as Received;
  };
  const receive = (message: Received) => {
    queue.push(message);
    notify?.();
    notify = null;
  };
  worker.on('message', receive);
  worker.on('error', (error) => receive({ type: 'failed', message: error.message, name: error.name }));
  worker.on('exit', () => receive({ type: 'exited' }));

  const first = await next();
  if (first.type === 'failed') {
    await worker.terminate();
    throw first.name === 'InputError' ? new InputError(first.message) : new Error(first.message);
  }
  if (first.type !== 'opened') throw new Error('parse worker: unexpected first message');
  return { worker, next, name: first.name, size: first.size };
}

/**
 * Reads and parses an input file or URL in a worker thread, so parsing (gunzip, JSON, validation) runs on the
 * second core while the caller writes to the database.
 */
export async function parseInWorker(task: ParseTask): Promise<ParsedInput> {
  const { worker, next, name, size } = await startParseWorker(task);
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
        } else if (message.type === 'exited') {
          throw new Error(EXITED_EARLY);
        }
      }
    } finally {
      await worker.terminate();
    }
  }

  return { name, size, bytesRead: () => bytesRead, items: items() };
}

export interface CheckProgress extends CheckCounts {
  /** Bytes of the input every worker has read. */
  bytesRead: number;
}

/**
 * Parses and checks a whole input on `threads` worker threads at once (an arXiv JSONL file is dealt out among
 * them by lines; other inputs take one), keeping no record: the counts, or the first bad record found.
 */
export async function checkInWorkers(
  task: ParseTask,
  threads: number,
  onProgress: (progress: CheckProgress) => void = () => {},
): Promise<CheckCounts & { bad: Error | null }> {
  const count = task.format === 'arxiv-jsonl' ? Math.max(1, threads) : 1;
  const tasks = Array.from({ length: count }, (_, index): ParseTask => {
    const checkOnly = { ...task, checkOnly: true };
    return checkOnly.format === 'arxiv-jsonl' ? { ...checkOnly, share: { index, of: count } } : checkOnly;
  });
  const workers = await Promise.all(tasks.map(startParseWorker));
  let stopping = false;
  const progress = workers.map(() => ({ processed: 0, droppedLinks: 0, bytesRead: 0 }));
  const total = () => ({
    processed: progress.reduce((sum, each) => sum + each.processed, 0),
    droppedLinks: progress.reduce((sum, each) => sum + each.droppedLinks, 0),
    bytesRead: Math.min(...progress.map((each) => each.bytesRead)),
  });
  try {
    const outcomes = await Promise.all(
      workers.map(async ({ next }, index) => {
        while (true) {
          const message = await next();
          if (message.type === 'checked') {
            progress[index] = message;
            onProgress(total());
          } else if (message.type === 'bad') {
            // The first bad record rejects the input: the other threads need not go on.
            stopping = true;
            await Promise.all(workers.map(({ worker }) => worker.terminate()));
            return fromWire(message.item);
          } else if (message.type === 'failed') throw new InputError(message.message);
          else if (message.type === 'done') return null;
          else if (message.type === 'exited') {
            if (stopping) return null;
            throw new Error(EXITED_EARLY);
          }
        }
      }),
    );
    const bad = outcomes.find((outcome) => outcome !== null);
    const { processed, droppedLinks } = total();
    return { processed, droppedLinks, bad: bad && !bad.ok ? bad.error : null };
  } finally {
    await Promise.all(workers.map(({ worker }) => worker.terminate()));
  }
}
