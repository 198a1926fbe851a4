/** A piece of text, marked when it matched the query. */
export interface TextSegment {
  text: string;
  marked: boolean;
}

const SUFFIXES = ['ations', 'ation', 'ings', 'ing', 'ies', 'ed', 'es', 's', 'ly'];

/** A rough stem, enough to mark "learning" for "learned" the way the keyword index's stemmer matches them. */
function stem(word: string): string {
  for (const suffix of SUFFIXES) {
    if (word.length - suffix.length >= 4 && word.endsWith(suffix)) return word.slice(0, -suffix.length);
  }
  return word;
}

function matcher(words: string[]): (token: string) => boolean {
  const stems = [...new Set(words.map((word) => stem(word.toLowerCase())))].filter((s) => s.length >= 2);
  return (token) => {
    const lower = token.toLowerCase();
    return stems.some((s) => lower === s || (lower.startsWith(s) && lower.length - s.length <= 5));
  };
}

/** Splits text into marked and unmarked segments: whole words that match a query word (or its stem). */
export function highlight(text: string, words: string[]): TextSegment[] {
  const matches = matcher(words);
  const segments: TextSegment[] = [];
  let last = 0;
  for (const found of text.matchAll(/[\p{L}\p{N}]+/gu)) {
    if (!matches(found[0])) continue;
    const start = found.index ?? 0;
    if (start > last) segments.push({ text: text.slice(last, start), marked: false });
    segments.push({ text: found[0], marked: true });
    last = start + found[0].length;
  }
  if (last < text.length) segments.push({ text: text.slice(last), marked: false });
  return segments;
}

/**
 * A window of about `length` characters of the text around its densest run of matches, cut at word
 * boundaries, with an ellipsis where it was cut.
 */
export function snippet(text: string, words: string[], length = 280): TextSegment[] {
  if (text.length <= length) return highlight(text, words);
  const matches = matcher(words);
  const positions = [...text.matchAll(/[\p{L}\p{N}]+/gu)]
    .filter((m) => matches(m[0]))
    .map((m) => m.index ?? 0);
  // The window of 80 % of the length that starts at a match and holds the most matches (the first such).
  let bestStart = 0;
  let bestCount = 0;
  let end = 0;
  for (const [index, position] of positions.entries()) {
    while (end < positions.length && (positions[end] as number) < position + length * 0.8) end++;
    if (end - index > bestCount) {
      bestCount = end - index;
      bestStart = position;
    }
  }
  let start = Math.max(0, bestStart - Math.floor(length * 0.2));
  if (start > 0) start = text.indexOf(' ', start) + 1 || start;
  let stop = Math.min(text.length, start + length);
  if (stop < text.length) stop = text.lastIndexOf(' ', stop) > start ? text.lastIndexOf(' ', stop) : stop;
  const segments = highlight(text.slice(start, stop), words);
  if (start > 0) segments.unshift({ text: '… ', marked: false });
  if (stop < text.length) segments.push({ text: ' …', marked: false });
  return segments;
}
