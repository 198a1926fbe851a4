/**
 * A run of whitespace that is not one plain space: replacing only these with a space gives what replacing every run
 * would, without a match at each space between words.
 */
const LOOSE_SPACE = /\s{2,}|[^\S ]/g;

/** Titles arrive hard-wrapped ("Multimodal\n  Models"): one line, single spaces. */
export function cleanTitle(title: string): string {
  return title.replace(LOOSE_SPACE, ' ').trim();
}

/** Unwraps hard line breaks inside paragraphs and keeps blank-line paragraph breaks. */
export function cleanAbstract(abstract: string): string {
  return abstract
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.replace(LOOSE_SPACE, ' ').trim())
    .filter((paragraph) => paragraph !== '')
    .join('\n\n');
}
