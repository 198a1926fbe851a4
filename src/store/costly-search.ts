import { hasFilters, type SearchQuery } from '../domain/search-query.ts';
import { StoreUnavailableError } from './store.ts';

/** Searches with filters or exclusions: each condition is checked on thousands of candidates. */
export const isCostlySearch = (query: SearchQuery): boolean => hasFilters(query) || query.excluded.length > 0;

/**
 * Lets at most `running` costly searches run at once, with at most `waiting` more queued; beyond that a search is
 * refused at once (StoreUnavailableError: 503). The rest of the store's connections stay free for plain searches.
 */
export class CostlySearchGate {
  private active = 0;
  private readonly queue: Array<() => void> = [];

  constructor(private readonly bounds: { running: number; waiting: number }) {}

  async run<T>(search: () => Promise<T>): Promise<T> {
    if (this.active >= this.bounds.running) {
      if (this.queue.length >= this.bounds.waiting) throw new StoreUnavailableError(1, 'search');
      await new Promise<void>((resolve) => this.queue.push(resolve));
    } else {
      this.active++;
    }
    try {
      return await search();
    } finally {
      const next = this.queue.shift();
      if (next) next();
      else this.active--;
    }
  }
}
