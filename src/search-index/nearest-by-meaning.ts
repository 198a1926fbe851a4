import type { Embedder } from '../embeddings/embedder.ts';
import { MIN_QUERY_SIMILARITY } from './semantic-search.ts';

interface Hit {
  id: string;
  score: number;
  /** The hit's group, when the source searched `group` only. */
  group?: number;
}

/** Where the vectors are: the nearest to a vector (among `group`'s papers if the source can tell), and the vectors of papers. */
export interface VectorSource {
  nearest(vector: Float32Array, limit: number, group?: number): Promise<Hit[]> | Hit[];
  vectorsOf(ids: string[]): Promise<Map<string, Float32Array>> | Map<string, Float32Array>;
  /** Papers' groups (Embedder.grouped) known from earlier searches, kept by a source whose vectors it knows change. */
  groups?: Map<string, number>;
}

/** Papers' groups a source keeps at most, beyond which it forgets them all. */
const KEPT_GROUPS = 200_000;

/**
 * The papers nearest a text in meaning, best first, above MIN_QUERY_SIMILARITY: the nearest to the query's vector,
 * or, for a model of groups (Embedder.grouped), the nearest papers of each of the query's groups to the query's
 * vector for that group.
 */
export async function nearestByMeaning(
  embedder: Embedder,
  text: string,
  limit: number,
  source: VectorSource,
): Promise<Hit[]> {
  const { grouped } = embedder;
  if (!grouped) {
    const [vector] = await embedder.embed([text]);
    return vector ? (await source.nearest(vector, limit)).filter(similarEnough) : [];
  }
  const best = new Map<string, number>();
  const groups = source.groups ?? new Map<string, number>();
  if (groups.size > KEPT_GROUPS) groups.clear();
  // The groups' searches at once: on a database each is a round trip of its own.
  const queries = grouped.queryVectors(text);
  const found = await Promise.all(
    queries.map(async (query) =>
      (await source.nearest(query.vector, limit, query.group)).filter(similarEnough),
    ),
  );
  const unknown = [
    ...new Set(
      found.flat().flatMap((hit) => (hit.group === undefined && !groups.has(hit.id) ? [hit.id] : [])),
    ),
  ];
  for (const [id, vector] of await source.vectorsOf(unknown)) groups.set(id, grouped.groupOf(vector));
  queries.forEach((query, index) => {
    for (const hit of found[index] ?? [])
      if (
        (hit.group ?? groups.get(hit.id)) === query.group &&
        hit.score > (best.get(hit.id) ?? Number.NEGATIVE_INFINITY)
      )
        best.set(hit.id, hit.score);
  });
  return [...best]
    .map(([id, score]) => ({ id, score }))
    .sort((a, b) => b.score - a.score)
    .slice(0, limit);
}

function similarEnough(hit: Hit): boolean {
  return hit.score >= MIN_QUERY_SIMILARITY;
}
