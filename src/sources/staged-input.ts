import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { InputError, openInput } from './open-input.ts';
import { checkInWorkers, type ParseTask, parseInWorker } from './parse-in-worker.ts';
import type { CheckableInput, ParsedItem } from './parsed-item.ts';

/** An input copied into a temporary directory, checked there whole, then read again from the same bytes. */
export interface StagedInput extends CheckableInput {
  name: string;
  size: number | null;
  /** Bytes of the input read so far by the check, then by the second reading. */
  bytesRead(): number;
  dispose(): Promise<void>;
}

/** Checking more at once gains nothing on a machine of few cores and costs a worker's memory each. */
const MAX_CHECK_THREADS = 2;

/**
 * Copies an input file or URL (a URL is downloaded once) so that the bytes checked are the bytes written, even if
 * the file changes meanwhile; the check runs on several threads when the format allows.
 */
export async function stageInput(task: ParseTask): Promise<StagedInput> {
  const input = await openInput(task.location);
  const dir = await mkdtemp(join(tmpdir(), 'dailypapers-import-'));
  const path = join(dir, 'input');
  try {
    await pipeline(input.stream, createWriteStream(path));
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw new InputError(`${input.name}: cannot read (${(error as Error).message})`);
  }
  const copy: ParseTask = { ...task, location: path, name: input.name };
  const threads = Math.min(MAX_CHECK_THREADS, availableParallelism());
  let bytesRead = 0;
  let checked: ReturnType<CheckableInput['check']> | null = null;
  return {
    name: input.name,
    size: input.size ?? (await stat(path)).size,
    bytesRead: () => bytesRead,
    // Checked once: a second call (the import after the caller's own check) answers the same.
    check: (onProgress) =>
      (checked ??= checkInWorkers(copy, threads, (progress) => {
        bytesRead = progress.bytesRead;
        onProgress(progress);
      })),
    read: async function* (): AsyncGenerator<ParsedItem> {
      const parsed = await parseInWorker(copy);
      for await (const item of parsed.items) {
        bytesRead = parsed.bytesRead();
        yield item;
      }
    },
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}
