import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

export type CopyValue = string | number | null;

/** A value in COPY's text format: \N for NULL, backslash escapes for what would end a field or a row. */
function copyField(value: CopyValue): string {
  if (value === null) return '\\N';
  if (typeof value === 'number') return String(value);
  return /[\\\t\n\r]/.test(value)
    ? value.replace(/[\\\t\n\r]/g, (c) =>
        c === '\t' ? '\\t' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\\\',
      )
    : value;
}

/** Rows per chunk sent: a few hundred KB, so a large batch is never one huge string. */
const ROWS_PER_CHUNK = 200;

function* copyChunks(rows: CopyValue[][]): Generator<string> {
  for (let start = 0; start < rows.length; start += ROWS_PER_CHUNK) {
    let chunk = '';
    for (const row of rows.slice(start, start + ROWS_PER_CHUNK))
      chunk += `${row.map(copyField).join('\t')}\n`;
    yield chunk;
  }
}

/**
 * Inserts rows with one `COPY … FROM STDIN` (the bulk path: no statement per row or array parameters to parse).
 * Row triggers and constraints apply as to an INSERT; a row that breaks one fails the whole COPY.
 */
export async function copyRows(
  client: pg.ClientBase,
  table: string,
  columns: readonly string[],
  rows: CopyValue[][],
): Promise<void> {
  if (rows.length === 0) return;
  const stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  await pipeline(Readable.from(copyChunks(rows)), stream);
}
