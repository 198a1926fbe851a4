/** Titles arrive hard-wrapped ("Multimodal\n  Models"): one line, single spaces. */
export function cleanTitle(title: string): string {
  return title.replace(/\s+/g, ' ').trim();
}

/** Unwraps hard line breaks inside paragraphs and keeps blank-line paragraph breaks. */
export function cleanAbstract(abstract: string): string {
  return abstract
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.replace(/\s+/g, ' ').trim())
    .filter((paragraph) => paragraph !== '')
    .join('\n\n');
}
