import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

export type CopyValue = string | number | bigint | boolean | Uint8Array | null;

/** A value in COPY's text format: \N for NULL, bytes as `\x` hex, backslash escapes for what would end a field or a row. */
function copyField(value: CopyValue): string {
  if (value === null) return '\\N';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (value instanceof Uint8Array)
    return `\\\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`;
  return /[\\\t\n\r]/.test(value)
    ? value.replace(/[\\\t\n\r]/g, (c) =>
        c === '\t' ? '\\t' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\\\',
      )
    : value;
}

/** Rows per chunk sent: a few hundred KB, so a large batch is never one huge string. */
const ROWS_PER_CHUNK = 200;

function* copyChunks(rows: Iterable<CopyValue[]>): Generator<string> {
  let chunk = '';
  let inChunk = 0;
  for (const row of rows) {
    chunk += `${row.map(copyField).join('\t')}\n`;
    inChunk += 1;
    if (inChunk === ROWS_PER_CHUNK) {
      yield chunk;
      chunk = '';
      inChunk = 0;
    }
  }
  if (inChunk > 0) yield chunk;
}

/**
 * Inserts rows with one `COPY … FROM STDIN` (the bulk path: no statement per row or array parameters to parse).
 * The rows may be a lazy iterable: they are read as the server takes them. Row triggers and constraints apply as
 * to an INSERT; a row that breaks one fails the whole COPY.
 */
export async function copyRows(
  client: pg.ClientBase,
  table: string,
  columns: readonly string[],
  rows: Iterable<CopyValue[]>,
): Promise<void> {
  if (Array.isArray(rows) && rows.length === 0) return;
  const stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  await pipeline(Readable.from(copyChunks(rows)), stream);
}
