import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import type { PaperRecord } from '../../src/domain/paper.ts';
import type { ParsedItem } from '../../src/sources/parsed-item.ts';

export async function collect(
  read: (
    stream: NodeJS.ReadableStream & import('node:stream').Readable,
    name: string,
  ) => AsyncIterable<ParsedItem>,
  path: string,
): Promise<{ records: PaperRecord[]; errors: Error[] }> {
  const records: PaperRecord[] = [];
  const errors: Error[] = [];
  for await (const item of read(createReadStream(path), basename(path))) {
    if (item.ok) records.push(item.record);
    else errors.push(item.error);
  }
  return { records, errors };
}
