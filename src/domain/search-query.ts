/** The longest query we search for; longer input is refused, not cut silently. */
export const MAX_QUERY_LENGTH = 500;
const MAX_WORDS = 24;

export class SearchQueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SearchQueryError';
  }
}

/**
 * The words of a free-text query: letters and digits in any script, lower-cased, each at most once. Operators
 * and punctuation are not syntax here, so no input can break the index query.
 */
export function queryWords(query: string): string[] {
  const trimmed = query.trim();
  if (trimmed.length === 0) throw new SearchQueryError('type some words to search for');
  if (trimmed.length > MAX_QUERY_LENGTH) {
    throw new SearchQueryError(`a query can be at most ${MAX_QUERY_LENGTH} characters`);
  }
  const words = [...new Set(trimmed.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])];
  if (words.length === 0) throw new SearchQueryError('the query has no letters or digits to search for');
  return words.slice(0, MAX_WORDS);
}
