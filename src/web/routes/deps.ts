import type { Config } from '../../config.ts';
import type { SemanticSearch } from '../../search-index/semantic-search.ts';
import type { PaperFetcher } from '../../services/submit-paper.ts';
import type { Store } from '../../store/store.ts';

export interface WebDeps {
  store: Store;
  config: Config;
  /** Fetches a paper from arXiv for submissions. */
  fetchPaper: PaperFetcher;
  /** Vector search, when an index is loaded; keyword search alone otherwise. */
  semantic: SemanticSearch | null;
}
