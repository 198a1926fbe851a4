/** Nearest papers by meaning; implemented by the vector index. */
export interface SemanticSearch {
  /** False while no model's vectors are ready, so search goes by words alone; absent means ready. */
  readonly ready?: boolean;
  /** True while a model is being trained or its vectors written (pages say so). */
  readonly preparing?: boolean;
  /** Papers closest to the text, best first. */
  search(text: string, limit: number): Promise<Array<{ id: string; score: number }>>;
  /** Papers closest to a paper (itself excluded), best first; empty when the paper has no vector yet. */
  similar(id: string, limit: number): Promise<Array<{ id: string; score: number }>>;
}
