// What the built-in models share: their storage layout and how they embed without holding up the event loop.
import { setImmediate as nextTurn } from 'node:timers/promises';

/** [header length: uint32][header JSON][bodies…]. */
export function withHeader(header: object, ...bodies: Buffer[]): Buffer {
  const json = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(json.length);
  return Buffer.concat([length, json, ...bodies]);
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
