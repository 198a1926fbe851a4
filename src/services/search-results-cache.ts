import { LRUCache } from 'lru-cache';
import type { SearchQuery } from '../domain/search-query.ts';
import type { Store } from '../store/store.ts';

/** A page of results as searchPapers found it: the papers' ids in order and why each was found, not the papers. */
export interface KeptResults {
  query: SearchQuery;
  pageIds: string[];
  foundBy: Array<{ keyword: boolean; semantic: boolean }>;
  total: number;
  totalExact: boolean;
}

/** Results also change with the clock (recency nudges relevance): none is kept longer than this. */
const TTL_MS = 60_000;

/**
 * Pages of search results kept until the data changes (`Store.dataVersion`, so other processes' writes count too),
 * by query and options: the next page, the same query again and the popular ones cost reading a page of papers
 * instead of a search. Only ids are kept, so a hit's paper is always read as it is now. `maxBytes` is the cache's
 * share of the memory budget (memory-budget.ts); 0 keeps nothing.
 */
export class SearchResultsCache {
  private readonly entries: LRUCache<string, { version: string; results: KeptResults }> | null;

  constructor(
    private readonly store: Store,
    maxBytes: number,
  ) {
    this.entries =
      maxBytes > 0
        ? new LRUCache({
            maxSize: maxBytes,
            ttl: TTL_MS,
            // About what an entry takes: the key and query as UTF-16, each id with its labels.
            sizeCalculation: (entry, key) => 2 * key.length + 200 + 64 * entry.results.pageIds.length,
          })
        : null;
  }

  /** The kept results for `key` if the data has not changed since, else those `search` finds (and keeps). */
  async results(key: string, search: () => Promise<KeptResults>): Promise<KeptResults> {
    if (!this.entries) return search();
    const version = await this.store.dataVersion();
    const kept = this.entries.get(key);
    if (kept?.version === version) return kept.results;
    const results = await search();
    // Kept only if nothing was written meanwhile: the results may predate the write.
    if ((await this.store.dataVersion()) === version) this.entries.set(key, { version, results });
    return results;
  }
}
