/**
 * One memory budget per process (MEMORY_BUDGET_MB) from which its caches are sized: SQLite's page caches (all of a
 * process's connections together, shared out by store/sqlite/page-cache.ts), the two caches of rendered pages and
 * shared responses, KaTeX's typeset formulas, the similar-papers lists of the in-process vector index and pages of search results. What is
 * left of the budget is for the rest: the vector index, JavaScript's heap, code. At 80k papers the default's
 * caches, the same as the fixed sizes they had, cost no measurable CPU against larger ones (docs/benchmarks.md).
 */
export const DEFAULT_MEMORY_BUDGET_MB = 256;
/** Below this the caches would be too small to be worth having. */
export const MIN_MEMORY_BUDGET_MB = 64;

const MIB = 2 ** 20;
/** About what a similar-papers list of 12 ids and scores takes. */
const SIMILAR_LIST_BYTES = 400;

export interface CacheSizes {
  /** SQLite's page caches, every connection of a process together, MiB (SQLITE_CACHE_MB overrides it). */
  sqliteMb: number;
  /** Each of the two caches of rendered pages and shared responses (API lists, feeds), bytes. */
  renderedBytes: number;
  /** KaTeX's typeset formulas, bytes. */
  mathBytes: number;
  /** Similar-papers lists kept by the in-process vector index. */
  similarLists: number;
  /** Pages of search results kept (their ids, see services/search-results-cache.ts), bytes. */
  searchResultBytes: number;
}

/** The caches' shares of a budget of `budgetMb` MiB: an eighth for SQLite, a thirty-second for each of the others. */
export function cacheSizes(budgetMb: number): CacheSizes {
  const share = (budgetMb * MIB) / 32;
  return {
    sqliteMb: budgetMb / 8,
    renderedBytes: Math.round(share),
    mathBytes: Math.round(share),
    similarLists: Math.round(share / SIMILAR_LIST_BYTES),
    searchResultBytes: Math.round(share),
  };
}
