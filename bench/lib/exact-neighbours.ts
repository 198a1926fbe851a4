// The exact top k of many queries over every float32 vector in the store: the reference that approximate
// (partitioned, int8) semantic search is measured against. One pass over the vectors; each is scored against
// all queries at once with the SIMD kernel.
import { VectorArena } from '../../src/search-index/vector-arena.ts';
import type { Store } from '../../src/store/store.ts';

/**
 * With `groups` (a grouped model, Embedder.grouped), query i is compared only with the vectors of group
 * `groups.query[i]`, as search compares each of a query's vectors.
 */
export async function exactNeighbours(
  store: Store,
  model: string,
  queries: Float32Array[],
  k: number,
  groups?: { of(vector: Float32Array): number; query: number[] },
): Promise<Array<{ ids: string[]; scores: number[] }>> {
  const dimensions = queries[0]?.length ?? 0;
  const arena = new VectorArena(dimensions, 'float32');
  for (const query of queries) arena.push(query);
  const best = queries.map(() => ({ ids: [] as string[], scores: [] as number[], floor: -Infinity }));
  let afterSeq = 0;
  for (;;) {
    const batch = await store.vectors.readVectors(model, afterSeq, 5_000);
    for (const { id, vector, seq } of batch) {
      afterSeq = seq;
      const group = groups?.of(vector);
      arena.scan(vector, 0, queries.length, (query, score) => {
        if (groups && groups.query[query] !== group) return;
        const top = best[query];
        if (!top || score <= top.floor) return;
        let at = top.scores.length;
        while (at > 0 && (top.scores[at - 1] as number) < score) at--;
        top.scores.splice(at, 0, score);
        top.ids.splice(at, 0, id);
        if (top.scores.length > k) {
          top.scores.pop();
          top.ids.pop();
        }
        if (top.scores.length === k) top.floor = top.scores[k - 1] as number;
      });
    }
    if (batch.length < 5_000) break;
  }
  return best.map(({ ids, scores }) => ({ ids, scores }));
}
