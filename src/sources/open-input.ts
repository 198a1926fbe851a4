import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { PassThrough, Readable } from 'node:stream';

/** An input file or URL opened as a byte stream that counts what has been read (for progress and ETA). */
export interface OpenedInput {
  /** Short name for messages: the file's base name or the URL. */
  name: string;
  stream: Readable;
  /** Total bytes when known. */
  size: number | null;
  bytesRead(): number;
}

export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

function counting(source: Readable): { stream: Readable; bytesRead: () => number } {
  let count = 0;
  const stream = new PassThrough();
  source.on('data', (chunk: Buffer) => {
    count += chunk.length;
  });
  source.on('error', (error) => stream.destroy(error));
  source.pipe(stream);
  return { stream, bytesRead: () => count };
}

export async function openInput(location: string): Promise<OpenedInput> {
  if (/^https?:\/\//i.test(location)) {
    let response: Response;
    try {
      response = await fetch(location);
    } catch (error) {
      throw new InputError(`${location}: could not connect (${(error as Error).message})`);
    }
    if (!response.ok || !response.body) {
      throw new InputError(`${location}: HTTP ${response.status} ${response.statusText}`);
    }
    const length = Number(response.headers.get('content-length'));
    const counted = counting(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream));
    return { name: location, size: Number.isFinite(length) && length > 0 ? length : null, ...counted };
  }
  let size: number;
  try {
    const info = await stat(location);
    if (!info.isFile()) throw new InputError(`${location}: not a file`);
    size = info.size;
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`${location}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return { name: basename(location), size, ...counting(createReadStream(location)) };
}
