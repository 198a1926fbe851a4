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
