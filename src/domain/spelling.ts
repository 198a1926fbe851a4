/** A word is suggested only when it is in at least this many papers: a typo in one abstract is no suggestion. */
export const MIN_SUGGESTED_PAPERS = 3;

/** Edits allowed between a query word and a suggestion: none for short words, where one edit makes another word. */
export function allowedEdits(word: string): number {
  if (word.length <= 3) return 0;
  return word.length <= 7 ? 1 : 2;
}

/** Words made of letters only: identifiers and numbers are written on purpose, and no suggestion has them. */
export const isLetterWord = (word: string) => /^\p{L}+$/u.test(word);

/**
 * Words worth correcting: letters only and in fewer papers (as the keyword index counts them, stemmed) than the
 * fewest a suggestion needs.
 */
export function needsCorrection(word: string, papers: number): boolean {
  return isLetterWord(word) && allowedEdits(word) > 0 && papers < MIN_SUGGESTED_PAPERS;
}
