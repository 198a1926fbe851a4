/**
 * The binary form of a saved vector partitioning. Layout: "DPIV", header length (uint32), header JSON,
 * float32 centroids, uint32 seqs, uint16/32 partitions (uint32 above 65,536 partitions).
 */
const SNAPSHOT_MAGIC = 'DPIV';

export interface PartitionSnapshot {
  dimensions: number;
  lists: number;
  /** lists × dimensions, partition by partition. */
  centroids: Float32Array;
  /** Each vector's write sequence number, ascending. */
  seqs: Uint32Array;
  /** The partition of the vector with the same index in seqs. */
  partitionOf: Uint32Array | Uint16Array;
}

export function encodeSnapshot(snapshot: PartitionSnapshot): Buffer {
  const { dimensions, lists, centroids, seqs, partitionOf } = snapshot;
  const header = Buffer.from(JSON.stringify({ dimensions, lists, vectors: seqs.length }));
  const padded = Buffer.alloc(Math.ceil((8 + header.length) / 4) * 4);
  padded.write(SNAPSHOT_MAGIC, 0, 'latin1');
  padded.writeUInt32LE(header.length, 4);
  header.copy(padded, 8);
  const bytes = (array: Float32Array | Uint32Array | Uint16Array) =>
    Buffer.from(array.buffer, array.byteOffset, array.byteLength);
  return Buffer.concat([padded, bytes(centroids), bytes(seqs), bytes(partitionOf)]);
}

/** The snapshot's parts (copied out of the buffer), or null if it is not one for vectors of these dimensions. */
export function decodeSnapshot(
  dimensions: number,
  snapshot: Buffer,
): (PartitionSnapshot & { vectors: number }) | null {
  if (snapshot.length < 8 || snapshot.toString('latin1', 0, 4) !== SNAPSHOT_MAGIC) return null;
  const headerLength = snapshot.readUInt32LE(4);
  const header = JSON.parse(snapshot.toString('utf8', 8, 8 + headerLength)) as {
    dimensions: number;
    lists: number;
    vectors: number;
  };
  const { lists, vectors } = header;
  if (header.dimensions !== dimensions || lists < 1) return null;
  const copy = (offset: number, bytes: number) => {
    const part = new Uint8Array(bytes);
    part.set(snapshot.subarray(offset, offset + bytes));
    return part.buffer;
  };
  let offset = Math.ceil((8 + headerLength) / 4) * 4;
  const centroids = new Float32Array(copy(offset, lists * dimensions * 4));
  offset += lists * dimensions * 4;
  const seqs = new Uint32Array(copy(offset, vectors * 4));
  offset += vectors * 4;
  const wide = lists > 65_536;
  const partitionOf = wide
    ? new Uint32Array(copy(offset, vectors * 4))
    : new Uint16Array(copy(offset, vectors * 2));
  if (offset + partitionOf.byteLength !== snapshot.length) return null;
  return { dimensions, lists, vectors, centroids, seqs, partitionOf };
}
