import { textWords } from '../../domain/search-query.ts';

/**
 * tsquery sources built from sanitized tokens only. Every token is letters and digits (textWords), quoted, so
 * nothing a user types (& | ! : * ( ) ' \ <->) can act as tsquery syntax; PostgreSQL then stems each token
 * with the english configuration when the source goes through to_tsquery as a bound parameter.
 */

/** Weights of the search vector's parts (migration 004): title, authors, abstract. */
type Part = 'A' | 'B' | 'C';
const PARTS: Part[] = ['A', 'B', 'C'];
/** Longer "words" are no words (and to_tsquery would skip them with a notice anyway). */
const MAX_TOKEN_LENGTH = 200;

/** The searchable tokens of some text: lower-cased runs of letters and digits. */
export function tokens(text: string): string[] {
  return textWords(text).filter((token) => token.length <= MAX_TOKEN_LENGTH);
}

const lexeme = (token: string, part?: Part) => `'${token}'${part ? `:${part}` : ''}`;
const adjacent = (list: string[], part?: Part) => list.map((token) => lexeme(token, part)).join(' <-> ');

/**
 * The tokens in this order within one part of a paper (a phrase never runs from the title into the authors);
 * a single token matches anywhere. Null without tokens.
 */
export function phraseSource(list: string[]): string | null {
  const [first] = list;
  if (first === undefined) return null;
  if (list.length === 1) return lexeme(first);
  return PARTS.map((part) => `(${adjacent(list, part)})`).join(' | ');
}

/** The tokens of a free word: usually one; more when a raw word holds punctuation, then as a phrase. */
export function wordSource(word: string): string | null {
  return phraseSource(tokens(word));
}

/** An author name as a phrase in the author list. Null without tokens. */
export function authorSource(name: string): string | null {
  const list = tokens(name);
  return list.length > 0 ? adjacent(list, 'B') : null;
}

/** Normalized tsqueries (PostgreSQL's own output for the sources above) combined; empty ones are left out. */
export function allOf(queries: string[]): string | null {
  const parts = queries.filter((query) => query !== '');
  return parts.length > 0 ? parts.map((query) => `(${query})`).join(' & ') : null;
}

export function anyOf(queries: string[]): string | null {
  const parts = queries.filter((query) => query !== '');
  return parts.length > 0 ? parts.map((query) => `(${query})`).join(' | ') : null;
}

/**
 * `vector` matches the tsquery bound at `placeholder`, found through the GIN index. The tsquery is a sub-select so
 * that the planner does not see it: knowing that a query's words are in most papers of a small collection, it
 * would read the whole table and test every paper (it counts `@@` as almost free, where a query of ten words takes
 * microseconds a paper), while the index finds the same papers several times faster.
 */
export const indexedMatch = (vector: string, placeholder: string) =>
  `${vector} @@ (SELECT ${placeholder}::tsquery)`;
