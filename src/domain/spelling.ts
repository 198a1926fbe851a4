/** Words of the site's papers with the number of papers each is in: what "did you mean" may suggest. */
export type WordCounts = ReadonlyMap<string, number>;

/** A word is suggested only when it is in at least this many papers: a typo in one abstract is no suggestion. */
export const MIN_SUGGESTED_PAPERS = 3;

/** Edits allowed between a query word and a suggestion: none for short words, where one edit makes another word. */
export function allowedEdits(word: string): number {
  if (word.length <= 3) return 0;
  return word.length <= 7 ? 1 : 2;
}

/**
 * Words worth correcting: letters only (identifiers and numbers are written on purpose) and in fewer papers than
 * the fewest a suggestion needs.
 */
export function needsCorrection(word: string, counts: WordCounts): boolean {
  return /^\p{L}+$/u.test(word) && allowedEdits(word) > 0 && (counts.get(word) ?? 0) < MIN_SUGGESTED_PAPERS;
}
