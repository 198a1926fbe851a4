import type { StoredVector, VectorHit } from './vectors.ts';

const READ_BATCH = 5_000;

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  return normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB);
}

/**
 * Nearest vectors by reading every one (a page at a time, by seq) and scoring it: what a store without a vector
 * index of its own answers `nearestVectors` with.
 */
export async function exactNearest(
  read: (afterSeq: number, limit: number) => Promise<StoredVector[]>,
  query: Float32Array,
  limit: number,
  exclude?: string,
): Promise<VectorHit[]> {
  const hits: VectorHit[] = [];
  let afterSeq = 0;
  for (;;) {
    const batch = await read(afterSeq, READ_BATCH);
    for (const { id, vector, seq } of batch) {
      afterSeq = seq;
      if (id !== exclude && vector.length === query.length) hits.push({ id, score: cosine(query, vector) });
    }
    if (batch.length < READ_BATCH) break;
  }
  return hits.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1)).slice(0, Math.max(0, limit));
}
