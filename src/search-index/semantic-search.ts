import type { VectorSearchBackend } from '../store/vectors.ts';

/** Nearest papers by meaning; implemented by the vector index, or by the database with pgvector. */
export interface SemanticSearch {
  /** Where the vectors are searched: an index in this process, or the database (which this process then holds none of). */
  readonly backend: VectorSearchBackend;
  /** False while no model's vectors are ready, so search goes by words alone; absent means ready. */
  readonly ready?: boolean;
  /** The embedding model searched with (results differ from one to the next); absent while none is ready. */
  readonly model?: string;
  /** The model's measured quality (Embedder.quality), by which search weighs meaning; absent when unknown. */
  readonly quality?: number;
  /** True while a model is being trained or its vectors written (pages say so). */
  readonly preparing?: boolean;
  /** Papers closest to the text, best first. */
  search(text: string, limit: number): Promise<Array<{ id: string; score: number }>>;
  /** Papers closest to a paper (itself excluded), best first; empty when the paper has no vector yet. */
  similar(id: string, limit: number): Promise<Array<{ id: string; score: number }>>;
}

/** Below this cosine a paper shares no meaning with a query worth showing (LSA vectors of unrelated texts). */
export const MIN_QUERY_SIMILARITY = 0.1;
