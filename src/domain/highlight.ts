/** A piece of text, marked when it matched the query. */
export interface TextSegment {
  text: string;
  marked: boolean;
}

const SUFFIXES = ['ations', 'ation', 'ings', 'ing', 'ies', 'ed', 'es', 's', 'ly'];
/** A matching word may be its stem and at most this many characters more ("learn" → "learning"). */
const MAX_ENDING = 5;
const WORD_CHARACTER = /[\p{L}\p{N}]/u;
const WORD = /[\p{L}\p{N}]+/gu;
const WHOLE_WORD = /^[\p{L}\p{N}]+$/u;

/** A rough stem, enough to mark "learning" for "learned" the way the keyword index's stemmer matches them. */
function stem(word: string): string {
  for (const suffix of SUFFIXES) {
    if (word.length - suffix.length >= 4 && word.endsWith(suffix)) return word.slice(0, -suffix.length);
  }
  return word;
}

/** The stems a word of the text is matched against; one with other characters than letters and digits matches none. */
const stemsOf = (words: string[]) =>
  [...new Set(words.map((word) => stem(word.toLowerCase())))].filter(
    (s) => s.length >= 2 && WHOLE_WORD.test(s),
  );

/** Whether the UTF-16 unit at `index` is part of a word (a letter or digit; surrogate pairs checked whole). */
function isWordUnit(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  if (code < 128)
    return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57);
  if (code >= 0xdc00 && code <= 0xdfff && index > 0)
    return WORD_CHARACTER.test(text.slice(index - 1, index + 1));
  return WORD_CHARACTER.test(String.fromCodePoint(text.codePointAt(index) ?? code));
}

interface Match {
  start: number;
  end: number;
}

/**
 * The words of `text` (maximal runs of letters and digits) that match a stem: the stem itself or the stem and at most
 * MAX_ENDING more characters, case aside. Found by looking for each stem rather than splitting the whole text into
 * words: a search page marks 20 abstracts of about 200 words each.
 */
function matchesIn(text: string, stems: string[]): Match[] {
  const lower = text.toLowerCase();
  // A few characters change length when lowercased (İ); then positions in `lower` are not those of `text`.
  if (lower.length !== text.length) return matchesByWord(text, stems);
  const found = new Map<number, number>();
  for (const s of stems) {
    for (let at = lower.indexOf(s); at !== -1; at = lower.indexOf(s, at + 1)) {
      if (found.has(at) || (at > 0 && isWordUnit(text, at - 1))) continue;
      let end = at + s.length;
      while (end < text.length && end - at - s.length <= MAX_ENDING && isWordUnit(text, end)) end++;
      if (end - at - s.length <= MAX_ENDING) found.set(at, end);
    }
  }
  return [...found].sort((a, b) => a[0] - b[0]).map(([start, end]) => ({ start, end }));
}

/** matchesIn by splitting the text into words, for texts whose lowercase is of another length. */
function matchesByWord(text: string, stems: string[]): Match[] {
  const matches: Match[] = [];
  for (const found of text.matchAll(WORD)) {
    const lower = found[0].toLowerCase();
    if (stems.some((s) => lower.startsWith(s) && lower.length - s.length <= MAX_ENDING))
      matches.push({ start: found.index ?? 0, end: (found.index ?? 0) + found[0].length });
  }
  return matches;
}

/** The text from `from` to `to` as segments, the matches among them marked. */
function segmentsOf(text: string, matches: Match[], from: number, to: number): TextSegment[] {
  const segments: TextSegment[] = [];
  let last = from;
  for (const { start, end } of matches) {
    if (start < from || end > to) continue;
    if (start > last) segments.push({ text: text.slice(last, start), marked: false });
    segments.push({ text: text.slice(start, end), marked: true });
    last = end;
  }
  if (last < to) segments.push({ text: text.slice(last, to), marked: false });
  return segments;
}

/** Splits text into marked and unmarked segments: whole words that match a query word (or its stem). */
export function highlight(text: string, words: string[]): TextSegment[] {
  return segmentsOf(text, matchesIn(text, stemsOf(words)), 0, text.length);
}

/**
 * A window of about `length` characters of the text around its densest run of matches, cut at word
 * boundaries, with an ellipsis where it was cut.
 */
export function snippet(text: string, words: string[], length = 280): TextSegment[] {
  const matches = matchesIn(text, stemsOf(words));
  if (text.length <= length) return segmentsOf(text, matches, 0, text.length);
  // The window of 80 % of the length that starts at a match and holds the most matches (the first such).
  let bestStart = 0;
  let bestCount = 0;
  let end = 0;
  for (const [index, { start: position }] of matches.entries()) {
    while (end < matches.length && (matches[end] as Match).start < position + length * 0.8) end++;
    if (end - index > bestCount) {
      bestCount = end - index;
      bestStart = position;
    }
  }
  let start = Math.max(0, bestStart - Math.floor(length * 0.2));
  if (start > 0) start = text.indexOf(' ', start) + 1 || start;
  let stop = Math.min(text.length, start + length);
  if (stop < text.length) stop = text.lastIndexOf(' ', stop) > start ? text.lastIndexOf(' ', stop) : stop;
  const segments = segmentsOf(text, matches, start, stop);
  if (start > 0) segments.unshift({ text: '… ', marked: false });
  if (stop < text.length) segments.push({ text: ' …', marked: false });
  return segments;
}
