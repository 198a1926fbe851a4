import { type SearchQuery, textWords } from '../../domain/search-query.ts';

/** A word or phrase as an FTS5 string: always quoted, so no input is ever read as FTS syntax. */
const quote = (words: string[]) => `"${words.join(' ').replaceAll('"', '""')}"`;

/** What every hit must contain: the exact phrases and the author names. Null when nothing is required. */
export function requiredExpression(query: SearchQuery): string | null {
  const parts = [
    ...query.phrases.map((phrase) => quote(phrase)),
    ...query.authors.map((author) => `authors_text : ${quote(textWords(author))}`),
  ].filter((part) => !part.endsWith(': ""'));
  return parts.length > 0 ? parts.join(' AND ') : null;
}

/**
 * The full match: required parts AND any of the ranking words (ranking favours papers with more of them).
 * `rankingWords` defaults to all free words; the caller may pass the informative subset.
 */
export function matchExpression(query: SearchQuery, rankingWords = query.words): string | null {
  const required = requiredExpression(query);
  const anyWord =
    rankingWords.length > 0 ? `(${rankingWords.map((word) => quote([word])).join(' OR ')})` : null;
  if (required && anyWord) return `${required} AND ${anyWord}`;
  return required ?? anyWord;
}

/** Papers containing any excluded word; null when nothing is excluded. */
export function excludedExpression(query: SearchQuery): string | null {
  return query.excluded.length > 0 ? query.excluded.map((word) => quote([word])).join(' OR ') : null;
}
