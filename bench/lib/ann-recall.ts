// Recall@10 of an approximate semantic search (the in-process partitions, or pgvector's HNSW index) against exact
// float32 search over every vector: shared by bench:search's stores.
import type { Embedder } from '../../src/embeddings/embedder.ts';
import type { Store } from '../../src/store/store.ts';
import { exactNeighbours } from './exact-neighbours.ts';
import { percentile } from './percentile.ts';

export type ExactTop10 = Array<{ ids: string[]; scores: number[] }>;

/**
 * The exact float32 top 10 of each text in `store`'s vectors; for a grouped model (a clustered one) the best of
 * each of the query's vectors among its group's papers, as search looks.
 */
export async function exactReference(store: Store, embedder: Embedder, texts: string[]): Promise<ExactTop10> {
  const { grouped } = embedder;
  if (!grouped) return exactNeighbours(store, embedder.model, await embedder.embed(texts), 10);
  const perText = texts.map((text) => grouped.queryVectors(text));
  const lists = await exactNeighbours(
    store,
    embedder.model,
    perText.flat().map((query) => query.vector),
    10,
    { of: (vector) => grouped.groupOf(vector), query: perText.flat().map((query) => query.group) },
  );
  let next = 0;
  return perText.map((vectors) => {
    const best = new Map<string, number>();
    for (const list of lists.slice(next, (next += vectors.length)))
      list.ids.forEach((id, rank) => best.set(id, Math.max(best.get(id) ?? -1, list.scores[rank] ?? -1)));
    const top = [...best].sort((a, b) => b[1] - a[1]).slice(0, 10);
    return { ids: top.map(([id]) => id), scores: top.map(([, score]) => score) };
  });
}

/**
 * Recall@10 of `search` against the exact top 10 (the hits search keeps: cosine ≥ 0.1), and its p50 (the query's
 * embedding included).
 */
export async function recallAt10(
  search: (text: string) => Promise<Array<{ id: string }>>,
  queries: ReadonlyArray<{ text: string }>,
  exact: ExactTop10,
): Promise<{ recall: number; p50Ms: number }> {
  let agreed = 0;
  const times: number[] = [];
  for (const [i, query] of queries.entries()) {
    const started = performance.now();
    const found = new Set((await search(query.text)).map((hit) => hit.id));
    times.push(performance.now() - started);
    const reference = exact[i] ?? { ids: [], scores: [] };
    const kept = reference.ids.filter((_, rank) => (reference.scores[rank] ?? 0) >= 0.1);
    agreed += kept.length === 0 ? 1 : kept.filter((id) => found.has(id)).length / kept.length;
  }
  return {
    recall: agreed / queries.length,
    p50Ms: percentile(
      times.sort((a, b) => a - b),
      50,
    ),
  };
}
