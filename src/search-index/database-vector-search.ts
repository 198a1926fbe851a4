import type { Embedder } from '../embeddings/embedder.ts';
import { embedderFromStored, type StoredEmbedderOptions } from '../embeddings/stored-embedder.ts';
import type { Store } from '../store/store.ts';
import { nearestByMeaning } from './nearest-by-meaning.ts';
import type { SemanticSearch } from './semantic-search.ts';

/**
 * Semantic search answered by the database (PostgreSQL with pgvector): the query is embedded here, the nearest
 * vectors come from the store's index. Nothing is loaded or kept in this process but the embedding model.
 */
export class DatabaseVectorSearch implements SemanticSearch {
  readonly backend = 'pgvector';

  get quality(): number | undefined {
    return this.embedder.quality;
  }

  get model(): string {
    return this.embedder.model;
  }

  private constructor(
    private readonly store: Store,
    readonly embedder: Embedder,
  ) {}

  /** The search of the store's embedding model, or null when none has been trained yet. */
  static async open(store: Store, options: StoredEmbedderOptions = {}): Promise<DatabaseVectorSearch | null> {
    const stored = await store.vectors.getEmbeddingModel();
    return stored && new DatabaseVectorSearch(store, embedderFromStored(stored, options));
  }

  search(text: string, limit: number) {
    const { model } = this.embedder;
    return nearestByMeaning(this.embedder, text, limit, {
      nearest: (vector, k, group) => this.store.vectors.nearestVectors(model, vector, k, undefined, group),
      vectorsOf: (ids) => this.store.vectors.getVectors(model, ids),
    });
  }

  async similar(id: string, limit: number) {
    const vector = await this.store.vectors.getVector(this.embedder.model, id);
    if (!vector) return [];
    return this.store.vectors.nearestVectors(this.embedder.model, vector, limit, id);
  }
}
