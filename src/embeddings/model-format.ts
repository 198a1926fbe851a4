// What the built-in models share: their storage layout and how they embed without holding up the event loop.
import { createHash } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * [header length: uint32][header JSON][bodies…], as the pieces that written one after another make the stored
 * form: a model's term tables are its bodies, as they are held, so that naming or storing a model copies them at
 * most once (the pieces of a large site's model are hundreds of MB).
 */
export function withHeader(header: object, ...bodies: Buffer[]): Buffer[] {
  const json = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(json.length);
  return [length, json, ...bodies];
}

/** The first 10 hex digits of the SHA-1 of the stored form: a built-in model's id after its kind and size. */
export function storedFormDigest(pieces: Buffer[]): string {
  const hash = createHash('sha1');
  for (const piece of pieces) hash.update(piece);
  return hash.digest('hex').slice(0, 10);
}

/** The header of `withHeader`'s layout, and where its bodies start. */
export function readHeader<T>(data: Buffer): { header: T; bodyStart: number } {
  const headerLength = data.readUInt32LE(0);
  return {
    header: JSON.parse(data.subarray(4, 4 + headerLength).toString()) as T,
    bodyStart: 4 + headerLength,
  };
}

/** Embeds `slice` texts between two turns of the event loop: a web process embedding new papers keeps answering. */
export async function embedInSlices(
  texts: string[],
  slice: number,
  embedOne: (text: string) => Float32Array,
): Promise<Float32Array[]> {
  const vectors: Float32Array[] = [];
  for (let start = 0; start < texts.length; start += slice) {
    if (start > 0) await nextTurn();
    for (const text of texts.slice(start, start + slice)) vectors.push(embedOne(text));
  }
  return vectors;
}
