import type { SemanticSearch } from '../src/services/search-papers.ts';
import type { Store } from '../src/store/store.ts';

/** The semantic index of the store, when one has been built; null means keyword search only. */
export async function openSemanticForBench(
  _store: Store,
  log: (line: string) => void,
): Promise<SemanticSearch | null> {
  log('no semantic index yet: keyword search only');
  return null;
}
