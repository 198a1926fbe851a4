import type { Store } from '../store/store.ts';
import { DatabaseVectorSearch } from './database-vector-search.ts';
import { SemanticIndex, type SemanticIndexOptions } from './semantic-index.ts';

/**
 * The semantic search a web process uses: the database's when it searches vectors itself (pgvector), else an
 * index of the store's vectors in this process; null before an embedding model exists.
 */
export function openSemanticSearch(
  store: Store,
  options: SemanticIndexOptions = {},
): Promise<SemanticIndex | DatabaseVectorSearch | null> {
  return store.vectors.vectorSearch === 'pgvector'
    ? DatabaseVectorSearch.open(store, options)
    : SemanticIndex.open(store, options);
}
