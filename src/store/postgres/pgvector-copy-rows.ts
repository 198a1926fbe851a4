import type { VectorGroups } from '../../embeddings/vector-groups.ts';
import { vectorFromBytes } from '../vector-bytes.ts';

/** PostgreSQL's binary COPY: signature, flags, header extension length; a trailer of -1 fields. */
const COPY_HEADER = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);
const COPY_TRAILER = Buffer.from([0xff, 0xff]);

/**
 * Rows of (doc_id, embedding, grp) in binary COPY format: pgvector's binary form is the dimension and a reserved
 * zero (int16 each), then big-endian float4s; the stored bytea is little-endian float32s, so only the bytes swap.
 * The group is an int2, or NULL (length -1) for a model without groups.
 */
export function binaryCopyRows(
  rows: ReadonlyArray<{ doc_id: number; vector: Buffer }>,
  groups: VectorGroups | null,
): Buffer {
  const parts: Buffer[] = [COPY_HEADER];
  for (const { doc_id, vector } of rows) {
    const head = Buffer.alloc(18);
    head.writeInt16BE(3, 0);
    head.writeInt32BE(4, 2);
    head.writeInt32BE(doc_id, 6);
    head.writeInt32BE(4 + vector.length, 10);
    head.writeInt16BE(vector.length / 4, 14);
    const group = Buffer.alloc(groups ? 6 : 4);
    if (groups) {
      group.writeInt32BE(2, 0);
      group.writeInt16BE(groups.groupOf(vectorFromBytes(vector)), 4);
    } else group.writeInt32BE(-1, 0);
    parts.push(head, Buffer.from(vector).swap32(), group);
  }
  parts.push(COPY_TRAILER);
  return Buffer.concat(parts);
}
