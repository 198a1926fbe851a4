// One search mode timed over a query set, as the site runs it (searchPapers, one page of 20): shared by
// bench:search and bench:stores.
import type { SemanticSearch } from '../../src/search-index/semantic-search.ts';
import { searchPapers } from '../../src/services/search-papers.ts';
import type { Store } from '../../src/store/store.ts';
import { percentile } from './percentile.ts';

export type SearchMode = 'keyword' | 'semantic' | 'hybrid';
export const SEARCH_MODES: readonly SearchMode[] = ['keyword', 'semantic', 'hybrid'];

export interface SearchLatency {
  p50: number;
  p95: number;
  p99: number;
  /** This process's CPU per query, ms (a keyword thread's included). */
  cpuMs: number;
}

/** Times every query once after `warmUp` untimed ones, as a running server has its caches warm. */
export async function timeSearchMode(
  context: { store: Store; semantic: SemanticSearch | null },
  queries: ReadonlyArray<{ text: string }>,
  mode: SearchMode,
  warmUp = 50,
): Promise<SearchLatency> {
  for (const query of queries.slice(0, warmUp)) {
    await searchPapers(context, query.text, { limit: 20, offset: 0, mode });
  }
  const times: number[] = [];
  const cpuBefore = process.cpuUsage();
  for (const query of queries) {
    const started = performance.now();
    await searchPapers(context, query.text, { limit: 20, offset: 0, mode });
    times.push(performance.now() - started);
  }
  const cpu = process.cpuUsage(cpuBefore);
  times.sort((a, b) => a - b);
  return {
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    cpuMs: (cpu.user + cpu.system) / 1000 / queries.length,
  };
}
