import type { SearchQuery } from './search-query.ts';

/**
 * Which papers a query's words match. A short query (a few keywords) matches the papers having all of its words;
 * a longer one (a sentence, a claim) the papers having any of its informative words (those in at most 30 % of the
 * papers), as a sentence's words are seldom all in one abstract.
 */
export type WordMatch = 'all' | 'any';

/** Queries of up to this many words match papers having all of them. */
export const ALL_WORDS_UP_TO = 4;

export function wordMatchOf(query: SearchQuery): WordMatch {
  return query.words.length >= 2 && query.words.length <= ALL_WORDS_UP_TO ? 'all' : 'any';
}

/** The query with each word also required, as a one-word phrase: what the keyword ranking needs for 'all'. */
export function withWordsRequired(query: SearchQuery): SearchQuery {
  return { ...query, phrases: [...query.phrases, ...query.words.map((word) => [word])] };
}
