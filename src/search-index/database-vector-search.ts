import type { Embedder } from '../embeddings/embedder.ts';
import { embedderFromStored } from '../embeddings/stored-embedder.ts';
import type { Store } from '../store/store.ts';
import { MIN_QUERY_SIMILARITY, type SemanticSearch } from './semantic-search.ts';

/**
 * Semantic search answered by the database (PostgreSQL with pgvector): the query is embedded here, the nearest
 * vectors come from the store's index. Nothing is loaded or kept in this process but the embedding model.
 */
export class DatabaseVectorSearch implements SemanticSearch {
  readonly backend = 'pgvector';

  get quality(): number | undefined {
    return this.embedder.quality;
  }

  private constructor(
    private readonly store: Store,
    readonly embedder: Embedder,
  ) {}

  /** The search of the store's embedding model, or null when none has been trained yet. */
  static async open(store: Store): Promise<DatabaseVectorSearch | null> {
    const stored = await store.vectors.getEmbeddingModel();
    return stored && new DatabaseVectorSearch(store, embedderFromStored(stored));
  }

  async search(text: string, limit: number) {
    const [vector] = await this.embedder.embed([text]);
    if (!vector) return [];
    const hits = await this.store.vectors.nearestVectors(this.embedder.model, vector, limit);
    return hits.filter((hit) => hit.score >= MIN_QUERY_SIMILARITY);
  }

  async similar(id: string, limit: number) {
    const vector = await this.store.vectors.getVector(this.embedder.model, id);
    if (!vector) return [];
    return this.store.vectors.nearestVectors(this.embedder.model, vector, limit, id);
  }
}
