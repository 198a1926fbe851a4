import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { PaperRecord } from '../domain/paper.ts';

/**
 * Parsed records kept in a temporary file (one JSON object a line) until the whole input is known to be good, so
 * that an all-or-nothing import can then write them in short committed batches. A field left undefined stays
 * undefined (JSON drops it), which keeps its "unknown to the source" meaning.
 */
export class StagedRecords {
  private constructor(
    private readonly dir: string,
    private readonly file: string,
  ) {}

  static async create(): Promise<StagedRecords> {
    const dir = await mkdtemp(join(tmpdir(), 'dailypapers-import-'));
    return new StagedRecords(dir, join(dir, 'records.jsonl'));
  }

  /** Writes every record the source yields; the source may throw to stop (then `dispose`). */
  async write(records: AsyncIterable<PaperRecord>): Promise<void> {
    const out = createWriteStream(this.file);
    const failed = new Promise<never>((_, reject) => out.once('error', reject));
    failed.catch(() => {});
    try {
      for await (const record of records) {
        if (!out.write(`${JSON.stringify(record)}\n`)) await Promise.race([once(out, 'drain'), failed]);
      }
    } finally {
      out.end();
      await Promise.race([once(out, 'close'), failed]);
    }
  }

  async *read(): AsyncGenerator<PaperRecord> {
    const lines = createInterface({
      input: createReadStream(this.file),
      crlfDelay: Number.POSITIVE_INFINITY,
    });
    for await (const line of lines) if (line) yield JSON.parse(line) as PaperRecord;
  }

  async dispose(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}
