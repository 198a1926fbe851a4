import { type SearchQuery, textWords } from '../../domain/search-query.ts';

/** A word or phrase as an FTS5 string: always quoted, so no input is ever read as FTS syntax. */
const quote = (words: string[]) => `"${words.join(' ').replaceAll('"', '""')}"`;

/** Any of the words, as one parenthesized FTS5 OR; null for none. */
const anyOf = (words: string[]) =>
  words.length > 0 ? `(${words.map((word) => quote([word])).join(' OR ')})` : null;

/** The exact phrases and the author names, one FTS5 phrase each, with the phrase's words (null for an author). */
function requiredParts(query: SearchQuery): Array<{ part: string; words: string[] | null }> {
  return [
    ...query.phrases.map((phrase) => ({ part: quote(phrase), words: phrase })),
    ...query.authors.map((author) => ({
      part: `authors_text : ${quote(textWords(author))}`,
      words: null,
    })),
  ].filter(({ part }) => !part.endsWith(': ""'));
}

function requiredPhrases(query: SearchQuery): string[] {
  return requiredParts(query).map(({ part }) => part);
}

/** What every hit must contain: the exact phrases and the author names. Null when nothing is required. */
export function requiredExpression(query: SearchQuery): string | null {
  const parts = requiredPhrases(query);
  return parts.length > 0 ? parts.join(' AND ') : null;
}

/** A word that ranks, with the number of papers containing it (null: not known). */
export interface RankingWord {
  word: string;
  count: number | null;
}

/**
 * An FTS5 expression to rank with bm25_df (see bm25-extension/bm25_df.c), and the document frequency of each of
 * its phrases in the order they appear: null for "count it" (required phrases), -1 for "does not rank".
 */
export interface RankedMatch {
  expression: string;
  frequencies: Array<number | null>;
}

/**
 * The papers with the required parts and any of the ranking words, ranked by all of them. Given `candidates`
 * (groups of ranking words), only papers with all the words of one group are ranked: papers having just common
 * words are never looked at, which is what makes a long query on millions of papers fast. Null when the query has
 * nothing to match.
 */
export function rankedMatch(
  query: SearchQuery,
  rankingWords: RankingWord[],
  candidates?: string[][],
  wordCount?: (word: string) => number,
): RankedMatch | null {
  const required = requiredParts(query);
  const parts = required.map(({ part }) => part);
  // A required word's count, when known, spares bm25_df counting it over the whole index for every query.
  const frequencies: Array<number | null> = required.map(({ words }) =>
    wordCount && words?.length === 1 ? wordCount(words[0] as string) : null,
  );
  const groups = (candidates ?? []).filter((group) => group.length > 0);
  if (groups.length > 0) {
    parts.push(
      `(${groups.map((group) => `(${group.map((word) => quote([word])).join(' AND ')})`).join(' OR ')})`,
    );
    for (const group of groups) frequencies.push(...group.map(() => -1));
  }
  // A word every hit must have ranks as its required phrase (with its count): the same word again in an OR of the
  // ranking words would only make FTS5 read its positions twice.
  const requiredWords = new Set(
    wordCount ? required.flatMap(({ words }) => (words?.length === 1 ? words : [])) : [],
  );
  const others = rankingWords.filter((entry) => !requiredWords.has(entry.word));
  const ranking = anyOf(others.map((entry) => entry.word));
  if (ranking) parts.push(ranking);
  frequencies.push(...others.map((entry) => entry.count));
  return parts.length > 0 ? { expression: parts.join(' AND '), frequencies } : null;
}

/** Papers containing any excluded word; null when nothing is excluded. */
export function excludedExpression(query: SearchQuery): string | null {
  return query.excluded.length > 0 ? query.excluded.map((word) => quote([word])).join(' OR ') : null;
}
