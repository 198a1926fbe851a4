import { createInterface } from 'node:readline';
import { PassThrough, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

export interface Line {
  text: string;
  lineNumber: number;
}

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

/** The input's non-blank lines with their 1-based numbers, streamed with constant memory; gzip is detected. */
export async function* readLines(input: Readable): AsyncGenerator<Line> {
  const lines = createInterface({ input: decompressIfGzip(input), crlfDelay: Number.POSITIVE_INFINITY });
  let lineNumber = 0;
  for await (const text of lines) {
    lineNumber++;
    if (text.trim() !== '') yield { text, lineNumber };
  }
}
