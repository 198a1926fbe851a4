import { PassThrough, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** A line longer than this is refused (a paper's record is a few KB), long before it could exhaust memory. */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

/** One non-blank line, or why it cannot be read (its bytes are not UTF-8, or it is too long). */
export type Line = { text: string; lineNumber: number } | { error: string; lineNumber: number };

const GZIP_MAGIC = [0x1f, 0x8b];

/** Passes the bytes through, gunzipping them first when they start with the gzip magic number. */
function decompressIfGzip(input: Readable): Readable {
  const output = new PassThrough();
  let decided = false;
  input.on('error', (error) => output.destroy(error));
  input.once('readable', () => {
    decided = true;
    const head: Buffer | null = input.read(2) ?? input.read();
    if (head) input.unshift(head);
    if (head && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1]) {
      const gunzip = createGunzip();
      gunzip.on('error', (error) => output.destroy(new Error(`not a valid gzip stream: ${error.message}`)));
      input.pipe(gunzip).pipe(output);
    } else {
      input.pipe(output);
    }
  });
  input.once('end', () => {
    if (!decided) output.end();
  });
  return output;
}

const mebibytes = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MiB`;

/**
 * The input's non-blank lines with their 1-based numbers, streamed with constant memory; gzip is detected. A line
 * that is not valid UTF-8 or is longer than `maxLineBytes` comes as an error of its own (the bytes of a long line
 * are skipped as they arrive, never held), so the reader can name the line and go on or stop.
 */
export async function* readLines(input: Readable, maxLineBytes = MAX_LINE_BYTES): AsyncGenerator<Line> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let parts: Buffer[] = [];
  let length = 0;
  let tooLong = false;
  let lineNumber = 0;
  const finish = (): Line | null => {
    lineNumber++;
    const bytes = Buffer.concat(parts, length);
    const wasTooLong = tooLong;
    parts = [];
    length = 0;
    tooLong = false;
    if (wasTooLong) {
      return { lineNumber, error: `line is longer than ${mebibytes(maxLineBytes)}: not a paper record` };
    }
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      return { lineNumber, error: 'not valid UTF-8 (the file must be UTF-8 encoded)' };
    }
    if (text.endsWith('\r')) text = text.slice(0, -1);
    return text.trim() === '' ? null : { text, lineNumber };
  };
  for await (const chunk of decompressIfGzip(input) as AsyncIterable<Buffer>) {
    let start = 0;
    while (start <= chunk.length) {
      const newline = chunk.indexOf(0x0a, start);
      const end = newline < 0 ? chunk.length : newline;
      if (!tooLong && length + (end - start) > maxLineBytes) {
        tooLong = true;
        parts = [];
      }
      if (!tooLong && end > start) {
        parts.push(chunk.subarray(start, end));
        length += end - start;
      }
      if (newline < 0) break;
      const line = finish();
      if (line) yield line;
      start = newline + 1;
    }
  }
  if (length > 0 || tooLong) {
    const line = finish();
    if (line) yield line;
  }
}
