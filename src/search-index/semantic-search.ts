/** Nearest papers by meaning; implemented by the vector index. */
export interface SemanticSearch {
  /** Papers closest to the text, best first. */
  search(text: string, limit: number): Promise<Array<{ id: string; score: number }>>;
  /** Papers closest to a paper (itself excluded), best first; empty when the paper has no vector yet. */
  similar(id: string, limit: number): Promise<Array<{ id: string; score: number }>>;
}
