/** Text as a plain query: quotes would make exact phrases, `-word` an exclusion and `cat:` a filter. */
export function plainQuery(text: string): string {
  return text
    .replaceAll('"', ' ')
    .replace(/(^|\s)-/g, '$1')
    .replace(/\b([A-Za-z]+):/g, '$1 ')
    .slice(0, 500);
}
