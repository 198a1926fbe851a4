import type { SearchQuery } from '../../domain/search-query.ts';

/** A word or phrase as an FTS5 string: always quoted, so no input is ever read as FTS syntax. */
const quote = (words: string[]) => `"${words.join(' ').replaceAll('"', '""')}"`;

/** What every hit must contain: the exact phrases and the author names. Null when nothing is required. */
export function requiredExpression(query: SearchQuery): string | null {
  const parts = [
    ...query.phrases.map((phrase) => quote(phrase)),
    ...query.authors.map(
      (author) => `authors_text : ${quote(author.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])}`,
    ),
  ].filter((part) => !part.endsWith(': ""'));
  return parts.length > 0 ? parts.join(' AND ') : null;
}

/** The full match: required parts AND any of the free words (ranking favours papers with more of them). */
export function matchExpression(query: SearchQuery): string | null {
  const required = requiredExpression(query);
  const anyWord =
    query.words.length > 0 ? `(${query.words.map((word) => quote([word])).join(' OR ')})` : null;
  if (required && anyWord) return `${required} AND ${anyWord}`;
  return required ?? anyWord;
}

/** Papers containing any excluded word; null when nothing is excluded. */
export function excludedExpression(query: SearchQuery): string | null {
  return query.excluded.length > 0 ? query.excluded.map((word) => quote([word])).join(' OR ') : null;
}
