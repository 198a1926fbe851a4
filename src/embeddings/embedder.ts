/** Turns paper text into unit-length vectors; a model with another `model` id needs every paper re-embedded. */
export interface Embedder {
  /** Names the model and its version, e.g. "lsa-512-3f2a…"; stored with each vector. */
  readonly model: string;
  readonly dimensions: number;
  /**
   * How well the model found held-out papers from their titles when it was trained (MRR@10, 0 to 1; see
   * model-quality.ts); absent when never measured (an embedding service).
   */
  readonly quality?: number;
  embed(texts: string[]): Promise<Float32Array[]>;
}

/** The text of a paper that is embedded. */
export function paperText(paper: { title: string; abstract: string }): string {
  return `${paper.title}\n${paper.abstract}`;
}
