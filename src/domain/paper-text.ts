/**
 * A run of whitespace that is not one plain space: replacing only these with a space gives what replacing every run
 * would, without a match at each space between words.
 */
const LOOSE_SPACE = /\s{2,}|[^\S ]/g;

/** Every run of whitespace made one space (a text with none to change is returned as it is, not copied). */
export const collapseSpaces = (text: string): string => text.replace(LOOSE_SPACE, ' ');

/** Titles arrive hard-wrapped ("Multimodal\n  Models"): one line, single spaces. */
export function cleanTitle(title: string): string {
  return collapseSpaces(title).trim();
}

/** Unwraps hard line breaks inside paragraphs and keeps blank-line paragraph breaks. */
export function cleanAbstract(abstract: string): string {
  return abstract
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((paragraph) => collapseSpaces(paragraph).trim())
    .filter((paragraph) => paragraph !== '')
    .join('\n\n');
}
