export interface PaperText {
  id: string;
  /** The paper's place in the store's stable order (its doc_id): a page starts after the last one seen. */
  position: number;
  title: string;
  abstract: string;
}

export interface StoredVector {
  seq: number;
  id: string;
  vector: Float32Array;
}

/** A paper near a query vector: cosine similarity, 1 for the same direction. */
export interface VectorHit {
  id: string;
  score: number;
  /** The paper's group, when the store searched one group of a model of groups (see `nearestVectors`). */
  group?: number;
}

/**
 * Where nearest vectors are found: in each process's own vector index, loaded through `readVectors`
 * ('in-process'), or by the database itself (PostgreSQL with the pgvector extension, an HNSW index).
 */
export type VectorSearchBackend = 'in-process' | 'pgvector';

/** The two steps of indexing many vectors at once in the database: copying them, then building the index. */
export type VectorIndexStep = 'copying vectors' | 'building the HNSW index';

export interface VectorIndexProgress {
  /** Rows done of the step's total, now and then. */
  onProgress?: (step: VectorIndexStep, done: number, total: number) => void;
  /** What the step is about to do (the index's memory), and what the database says meanwhile. */
  onNote?: (line: string) => void;
}

/** The site's embedding model, the papers' vectors and their saved partitioning, and nearest-vector search. */
export interface VectorStore {
  /** The site's embedding model, serialized, or null before `dailypapers index --embed`. */
  getEmbeddingModel(): Promise<{ model: string; data: Buffer } | null>;
  /** The name of the site's embedding model without its data (cheap enough to ask every minute), or null. */
  embeddingModelName(): Promise<string | null>;
  /** Installs a model; vectors of any other model are dropped with it. */
  setEmbeddingModel(model: string, data: Buffer): Promise<void>;
  /** Title and abstract of every paper in position order, a page at a time: those after `after` (0: from the start). */
  listPaperTexts(after: number, limit: number): Promise<PaperText[]>;
  /**
   * Papers after position `after` with no vector from `model` yet (new, changed, or embedded by an older model),
   * oldest first.
   */
  papersToEmbed(model: string, after: number, limit: number): Promise<PaperText[]>;
  countPapersToEmbed(model: string): Promise<number>;
  saveVectors(model: string, vectors: Array<{ id: string; vector: Float32Array }>): Promise<void>;
  /**
   * Brings the database's own vector index up to date with the saved vectors it has not indexed yet (pgvector: a
   * model's first vectors are saved without its index, which is then built once over all of them); nothing to do
   * where each process indexes vectors itself.
   */
  indexVectors(progress?: VectorIndexProgress): Promise<void>;
  /** Vectors of `model` written after `afterSeq`, in write order: a reader keeps up by remembering the last seq. */
  readVectors(model: string, afterSeq: number, limit: number): Promise<StoredVector[]>;
  /** The saved parts of the training run `training` (see saveTrainingPart), by part number. */
  trainingParts(training: string): Promise<Map<number, Buffer>>;
  /**
   * Saves a finished part of a model in training, so that a run stopped halfway resumes after it; parts of any
   * other run are dropped (only the latest run resumes).
   */
  saveTrainingPart(training: string, part: number, data: Buffer): Promise<void>;
  /** Drops every saved training part (the run finished). */
  dropTrainingParts(): Promise<void>;
  /** The saved partitioning (approximate index) of `model`'s vectors, or null; dropped when the model changes. */
  getVectorPartitions(model: string): Promise<Buffer | null>;
  saveVectorPartitions(model: string, data: Buffer): Promise<void>;
  /** Whether semantic search should ask the store (`nearestVectors`) or keep an index in process. */
  readonly vectorSearch: VectorSearchBackend;
  /**
   * `model`'s vectors nearest `vector` by cosine, best first, without `exclude`: approximate (HNSW) with
   * pgvector, else an exact scan meant for tests and small sites. For a model whose vectors compare only within
   * groups (Embedder.grouped), pgvector searches `group` only (by default `vector`'s own) and says so in each hit;
   * the exact scan looks at every vector and leaves telling groups apart to the caller.
   */
  nearestVectors(
    model: string,
    vector: Float32Array,
    limit: number,
    exclude?: string,
    group?: number,
  ): Promise<VectorHit[]>;
  /** A paper's vector from `model`, or null when it has none. */
  getVector(model: string, id: string): Promise<Float32Array | null>;
  /** The vectors from `model` of those of these papers that have one, in one query. */
  getVectors(model: string, ids: string[]): Promise<Map<string, Float32Array>>;
}
