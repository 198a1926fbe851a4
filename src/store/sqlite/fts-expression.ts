import { type SearchQuery, textWords } from '../../domain/search-query.ts';

/** A word or phrase as an FTS5 string: always quoted, so no input is ever read as FTS syntax. */
const quote = (words: string[]) => `"${words.join(' ').replaceAll('"', '""')}"`;

/** Any of the words, as one parenthesized FTS5 OR; null for none. */
const anyOf = (words: string[]) =>
  words.length > 0 ? `(${words.map((word) => quote([word])).join(' OR ')})` : null;

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
  const anyWord = anyOf(rankingWords);
  if (required && anyWord) return `${required} AND ${anyWord}`;
  return required ?? anyWord;
}

/**
 * The match split for speed (see KeywordSearch): papers with a rare word and a common one, and papers with a
 * rare word and none of the common ones. Together they are exactly the papers of the full match that contain a
 * rare word, and each is ranked by bm25 as in the full match: FTS5 scores a phrase only where it matched, so
 * the common words (matched nowhere in the second set) add nothing there.
 */
export function splitMatchExpressions(
  query: SearchQuery,
  rare: string[],
  common: string[],
): { withCommon: string; withoutCommon: string } {
  const anyRare = anyOf(rare);
  const anyCommon = anyOf(common);
  if (!anyRare || !anyCommon) throw new Error('a split match needs rare and common words');
  const required = requiredExpression(query);
  const candidates = required ? `${required} AND ${anyRare}` : anyRare;
  return { withCommon: `${candidates} AND ${anyCommon}`, withoutCommon: `(${candidates}) NOT ${anyCommon}` };
}

/** Papers containing any excluded word; null when nothing is excluded. */
export function excludedExpression(query: SearchQuery): string | null {
  return query.excluded.length > 0 ? query.excluded.map((word) => quote([word])).join(' OR ') : null;
}
