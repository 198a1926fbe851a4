import type { Embedder } from '../embeddings/embedder.ts';
import { LsaModel } from '../embeddings/lsa-model.ts';
import type { SemanticSearch } from '../services/search-papers.ts';
import type { Store } from '../store/store.ts';
import { VectorIndex } from './vector-index.ts';

const READ_BATCH = 5_000;
/** From this many vectors on, search scans the nearest partitions instead of every vector. */
const PARTITION_FROM = 20_000;
/** Below this cosine a paper shares no meaning with a query worth showing (LSA vectors of unrelated texts). */
const MIN_QUERY_SIMILARITY = 0.1;

/**
 * Semantic search in process: the store's vectors loaded into a vector index, kept up to date by reading what
 * was written since the last refresh (so several web processes sharing one database all see new papers).
 */
export class SemanticIndex implements SemanticSearch {
  private lastSeq = 0;
  /** Resolves when the approximate index is ready (immediately for small collections, which stay exact). */
  partitioning: Promise<void> = Promise.resolve();
  /** How long building the approximate index took, once it is built. */
  partitionSeconds = 0;
  private refreshing: Promise<void> | null = null;

  private constructor(
    private readonly store: Store,
    readonly embedder: Embedder,
    private readonly index: VectorIndex,
  ) {}

  /** The index of the store's embedding model, or null when none has been trained yet. */
  static async open(store: Store): Promise<SemanticIndex | null> {
    const stored = await store.getEmbeddingModel();
    if (!stored) return null;
    const embedder = LsaModel.deserialize(stored.data, stored.model);
    const semantic = new SemanticIndex(store, embedder, new VectorIndex(embedder.dimensions));
    await semantic.refresh();
    // Large collections get an inverted file in the background; searches are exact until it is ready.
    if (semantic.size >= PARTITION_FROM) {
      const started = performance.now();
      semantic.partitioning = semantic.index.buildPartitions().then(() => {
        semantic.partitionSeconds = (performance.now() - started) / 1000;
      });
    }
    return semantic;
  }

  get size(): number {
    return this.index.size;
  }

  /** Loads vectors written since the last refresh; concurrent calls share one pass. */
  refresh(): Promise<void> {
    this.refreshing ??= (async () => {
      try {
        for (;;) {
          const batch = await this.store.readVectors(this.embedder.model, this.lastSeq, READ_BATCH);
          for (const { id, vector, seq } of batch) {
            this.index.add(id, vector);
            this.lastSeq = seq;
          }
          if (batch.length < READ_BATCH) break;
        }
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }

  private async nearest(text: string, limit: number, exact: boolean) {
    const [vector] = await this.embedder.embed([text]);
    if (!vector) return [];
    return this.index.search(vector, limit, { exact }).filter((hit) => hit.score >= MIN_QUERY_SIMILARITY);
  }

  search(text: string, limit: number) {
    return this.nearest(text, limit, false);
  }

  /** For benchmarks: the same search, scanning every vector. */
  searchExact(text: string, limit: number) {
    return this.nearest(text, limit, true);
  }

  async similar(id: string, limit: number) {
    const vector = this.index.vectorOf(id);
    return vector ? this.index.search(vector, limit, { exclude: id }) : [];
  }
}
