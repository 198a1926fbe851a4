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
  /** Present for a model whose vectors compare meaningfully only within groups of papers. */
  readonly grouped?: GroupedVectors;
}

/**
 * A model whose vectors compare meaningfully only within groups (a clustered model's clusters: each describes its
 * papers in its own coordinates). A query is looked for with one vector for each of its likeliest groups.
 */
export interface GroupedVectors {
  queryVectors(text: string): QueryVector[];
  /** The group of a paper, from its vector. */
  groupOf(paper: Float32Array): number;
}

/** A vector to look for a query with among the papers of one group. */
export interface QueryVector {
  vector: Float32Array;
  group: number;
}

/** The text of a paper that is embedded. */
export function paperText(paper: { title: string; abstract: string }): string {
  return `${paper.title}\n${paper.abstract}`;
}
