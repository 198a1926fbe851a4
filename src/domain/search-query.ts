import { isArxivId, normalizeArxivId } from './arxiv-id.ts';
import { isValidDay } from './dates.ts';

/** The longest query we search for; longer input is refused, not cut silently. */
export const MAX_QUERY_LENGTH = 500;
const MAX_TERMS = 24;
/**
 * Filters a query may have: each `author:`, `org:` or `cat:` is a condition checked on every candidate, so their
 * number bounds a query's cost. Counted as typed (a repeated filter counts each time).
 */
export const MAX_FILTERS_OF_A_KIND = 5;
export const MAX_FILTERS = 8;

/** A query a person can fix; the message says how. The only error parseSearchQuery throws. */
export class SearchQueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SearchQueryError';
  }
}

/** A parsed search: words and phrases to match, words to exclude, and filters. */
export interface SearchQuery {
  /** Lower-cased words (letters and digits only) that should match, best when all do. */
  words: string[];
  /** Exact phrases, each a list of words in order. */
  phrases: string[][];
  /** Words no result may contain. */
  excluded: string[];
  /** Author names, matched as phrases in the author list. */
  authors: string[];
  /** Organization handles or names. */
  organizations: string[];
  /** arXiv categories, e.g. cs.LG; a bare archive (cs) matches all of its categories. */
  categories: string[];
  /** Listing or arXiv date bounds, YYYY-MM-DD, inclusive. */
  after: string | null;
  before: string | null;
  /** Set when the whole query is an arXiv id or an arXiv/Hugging Face paper URL. */
  paperId: string | null;
}

export const FILTERS = ['author', 'org', 'cat', 'after', 'before'] as const;
type Filter = (typeof FILTERS)[number];

/** Words of free text: letters and digits in any script, lower-cased; everything else separates words. */
export function textWords(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

interface Token {
  negated: boolean;
  field: string | null;
  value: string;
  quoted: boolean;
}

/** Splits into tokens: optional `-`, optional `field:`, then a "quoted string" (to its end) or a bare word. */
function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /(-?)(?:([A-Za-z]+):)?(?:"([^"]*)"?|(\S*))/gy;
  let index = 0;
  while (index < query.length) {
    if (/\s/.test(query[index] ?? '')) {
      index++;
      continue;
    }
    pattern.lastIndex = index;
    const match = pattern.exec(query);
    if (!match || match[0].length === 0) {
      index++;
      continue;
    }
    index = pattern.lastIndex;
    const [, minus, field, quoted, bare] = match;
    tokens.push({
      negated: minus === '-',
      field: field ? field.toLowerCase() : null,
      value: quoted ?? bare ?? '',
      quoted: quoted !== undefined,
    });
  }
  return tokens;
}

function isFilter(field: string | null): field is Filter {
  return field !== null && (FILTERS as readonly string[]).includes(field);
}

function dateFilter(field: 'after' | 'before', value: string): string {
  const day = /^\d{4}$/.test(value)
    ? field === 'after'
      ? `${value}-01-01`
      : `${value}-12-31`
    : /^\d{4}-\d{2}$/.test(value)
      ? field === 'after'
        ? `${value}-01`
        : `${value}-${String(new Date(Date.UTC(Number(value.slice(0, 4)), Number(value.slice(5)), 0)).getUTCDate())}`
      : value;
  if (!isValidDay(day)) {
    throw new SearchQueryError(`${field}: needs a date like 2025-01-31, 2025-01 or 2025, not “${value}”`);
  }
  return day;
}

/**
 * Parses the query language: free words; "exact phrase"; -excluded; author:"Yann LeCun"; org:; cat:cs.LG;
 * after:2025-01-01; before:. An arXiv id or paper URL alone means that paper. Unknown `field:` prefixes are
 * searched as words. Throws SearchQueryError, and nothing else, for input it cannot use.
 */
export function parseSearchQuery(input: string): SearchQuery {
  const query = input.trim();
  if (query.length === 0) throw new SearchQueryError('type some words to search for');
  if (query.length > MAX_QUERY_LENGTH) {
    throw new SearchQueryError(`a query can be at most ${MAX_QUERY_LENGTH} characters`);
  }
  const parsed: SearchQuery = {
    words: [],
    phrases: [],
    excluded: [],
    authors: [],
    organizations: [],
    categories: [],
    after: null,
    before: null,
    paperId: !/\s/.test(query) && isArxivId(query) ? normalizeArxivId(query) : null,
  };
  if (parsed.paperId) return parsed;

  for (const token of tokenize(query)) {
    const value = token.value.trim();
    if (isFilter(token.field)) {
      if (!value)
        throw new SearchQueryError(
          `${token.field}: needs a value, e.g. ${token.field}:${example(token.field)}`,
        );
      if (token.negated) throw new SearchQueryError(`-${token.field}: filters cannot be excluded yet`);
      if (token.field === 'after' || token.field === 'before')
        parsed[token.field] = dateFilter(token.field, value);
      else if (token.field === 'author') parsed.authors.push(value);
      else if (token.field === 'org') parsed.organizations.push(value);
      else parsed.categories.push(value);
      continue;
    }
    const text = token.field && !token.quoted ? `${token.field} ${value}` : value;
    const words = textWords(text);
    if (words.length === 0) continue;
    if (token.negated) parsed.excluded.push(...words);
    else if (token.quoted && words.length > 1) parsed.phrases.push(words);
    else parsed.words.push(...words);
  }
  checkFilterCounts(parsed);
  parsed.categories = uniqueIgnoringCase(parsed.categories);
  parsed.organizations = uniqueIgnoringCase(parsed.organizations);
  parsed.authors = uniqueIgnoringCase(parsed.authors);
  parsed.words = [...new Set(parsed.words)].slice(0, MAX_TERMS);
  parsed.excluded = [...new Set(parsed.excluded)].slice(0, MAX_TERMS);
  parsed.phrases = parsed.phrases.slice(0, MAX_TERMS);
  if (parsed.after && parsed.before && parsed.after > parsed.before) {
    throw new SearchQueryError(`after:${parsed.after} is later than before:${parsed.before}`);
  }
  if (!hasFilters(parsed) && parsed.words.length === 0 && parsed.phrases.length === 0) {
    throw new SearchQueryError(
      parsed.excluded.length > 0
        ? 'say what to look for, not only what to leave out'
        : 'the query has no letters or digits to search for',
    );
  }
  return parsed;
}

function uniqueIgnoringCase(values: string[]): string[] {
  const seen = new Set<string>();
  return values.filter((value) => {
    const key = value.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function checkFilterCounts(query: SearchQuery): void {
  const counts = {
    author: query.authors.length,
    org: query.organizations.length,
    cat: query.categories.length,
  };
  for (const [field, count] of Object.entries(counts)) {
    if (count > MAX_FILTERS_OF_A_KIND)
      throw new SearchQueryError(
        `a query can have at most ${MAX_FILTERS_OF_A_KIND} ${field}: filters (this one has ${count})`,
      );
  }
  const total = counts.author + counts.org + counts.cat;
  if (total > MAX_FILTERS)
    throw new SearchQueryError(
      `a query can have at most ${MAX_FILTERS} author:, org: and cat: filters in all (this one has ${total})`,
    );
}

function example(field: Filter): string {
  return { author: '"Yann LeCun"', org: 'google', cat: 'cs.LG', after: '2025-01-01', before: '2025-12-31' }[
    field
  ];
}

export function hasFilters(query: SearchQuery): boolean {
  return (
    query.authors.length > 0 ||
    query.organizations.length > 0 ||
    query.categories.length > 0 ||
    query.after !== null ||
    query.before !== null
  );
}

/** True when the query has text to rank by (not only filters). */
export function hasText(query: SearchQuery): boolean {
  return query.words.length > 0 || query.phrases.length > 0;
}

/** The free text of a query, for the semantic side: words and phrases, no operators or filters. */
export function queryText(query: SearchQuery): string {
  return [...query.phrases.map((phrase) => phrase.join(' ')), ...query.words].join(' ');
}
