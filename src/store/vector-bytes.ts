import type { StoredVector } from './vectors.ts';

/**
 * A stored vector's bytes: Float32 little-endian, copied as they are (x86 and ARM are little-endian). SQLite
 * keeps them in a blob, PostgreSQL in a bytea, so a copy between the two moves the bytes unchanged.
 */
export const vectorToBytes = (vector: Float32Array): Buffer =>
  Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);

/** Copies into a new, aligned Float32Array: a driver's buffer may start at any byte offset. */
export function vectorFromBytes(bytes: Buffer): Float32Array {
  const vector = new Float32Array(bytes.byteLength / 4);
  Buffer.from(vector.buffer).set(bytes);
  return vector;
}

/** A page of vectors in one row: ids, seqs and byte lengths separated by spaces, the vectors' bytes one after another. */
export interface PackedVectors {
  ids: string | null;
  seqs: string | null;
  lengths: string | null;
  vectors: Buffer | null;
}

/** The vectors of a packed page, each a view of its bytes (of one aligned copy, should they not be aligned). */
export function unpackVectors(packed: PackedVectors): StoredVector[] {
  if (!packed.ids || !packed.seqs || !packed.lengths || !packed.vectors) return [];
  const ids = packed.ids.split(' ');
  const seqs = packed.seqs.split(' ');
  const lengths = packed.lengths.split(' ');
  const aligned = packed.vectors.byteOffset % 4 === 0 ? packed.vectors : vectorFromBytes(packed.vectors);
  const block = aligned.buffer;
  let offset = aligned.byteOffset;
  return ids.map((id, i) => {
    const bytes = Number(lengths[i]);
    const vector = new Float32Array(block, offset, bytes / 4);
    offset += bytes;
    return { id, seq: Number(seqs[i]), vector };
  });
}
