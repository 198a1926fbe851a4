/**
 * Reads abstracts and titles as authors write them: LaTeX math (`$…$`, `$$…$$`, `\(…\)`, `\[…\]`), LaTeX
 * text-mode commands (`\textbf{…}`, `\emph{…}`, `\textit{…}`, `\texttt{…}`, `\textsc{…}`, `--`, `---`, `\%`, `~`,
 * `\cite{…}`) and Markdown `*emphasis*` / `**strong**`. One pass from left to right: every search for a closing
 * delimiter resumes where the last one for that delimiter stopped, so the whole scan is linear in the text, however
 * many unclosed delimiters it holds.
 */
import { collapseSpaces } from './paper-text.ts';

export type TextStyle = 'strong' | 'em' | 'code' | 'smallcaps';

export type TexToken =
  | { type: 'text'; text: string }
  | { type: 'math'; tex: string; display: boolean; source: string }
  | { type: 'open'; style: TextStyle }
  | { type: 'close'; style: TextStyle };

const COMMANDS: Record<string, TextStyle> = {
  textbf: 'strong',
  bf: 'strong',
  emph: 'em',
  textit: 'em',
  textsl: 'em',
  it: 'em',
  texttt: 'code',
  textsc: 'smallcaps',
};
const DROPPED = new Set(['cite', 'citep', 'citet', 'citealp', 'citeauthor', 'ref', 'eqref', 'label']);
const ESCAPED = new Set(['%', '&', '#', '_', '{', '}', '$']);
/** The characters tokenizeTex has a rule for; any other is text as it is. */
const SPECIAL = /[$\\{}~*-]/g;
/** What the scan reads in a text: a text without it is plain text as it is. */
const TEX_MARKUP = /[$\\{}~*]|--/;

/** Finds the next occurrence of a needle at or after a position; positions asked for must not decrease. */
function finder(text: string, needle: string): (from: number) => number {
  let found = -2;
  return (from) => {
    if (found === -1 || found >= from) return found;
    found = text.indexOf(needle, from);
    return found;
  };
}

const isSpace = (char: string | undefined) => char === undefined || /\s/.test(char);

/** Drops the space before a removed citation ("as in~\cite{x}." reads "as in."), one character at a time. */
function withoutTrailingSpace(text: string): string {
  let end = text.length;
  while (end > 0 && isSpace(text[end - 1])) end--;
  return text.slice(0, end);
}

function lastIndex<T>(items: T[], matches: (item: T) => boolean): number {
  for (let index = items.length - 1; index >= 0; index--) if (matches(items[index] as T)) return index;
  return -1;
}

/** Frames on the style stack: a style, or a plain `{` group (kept as text) that a `}` closes. */
type Frame = { style: TextStyle | null; closesAt: number | null };

/** Where each closing delimiter was last found: every search resumes there. */
function closingFinders(text: string) {
  return {
    dollar: finder(text, '$'),
    dollars: finder(text, '$$'),
    paren: finder(text, '\\)'),
    bracket: finder(text, '\\]'),
    newline: finder(text, '\n'),
    star: finder(text, '*'),
    stars: finder(text, '**'),
    brace: finder(text, '}'),
  };
}

/** The scanner's cursor: the position read up to, the text not yet made a token, the tokens and open frames. */
interface Scan {
  text: string;
  i: number;
  plain: string;
  tokens: TexToken[];
  stack: Frame[];
  next: ReturnType<typeof closingFinders>;
}

function flush(scan: Scan): void {
  if (scan.plain) scan.tokens.push({ type: 'text', text: scan.plain });
  scan.plain = '';
}

function openFrame(scan: Scan, style: TextStyle | null, closesAt: number | null): void {
  flush(scan);
  scan.stack.push({ style, closesAt });
  if (style) scan.tokens.push({ type: 'open', style });
}

/** Closes frames down to and including the one `matches` picks; nothing when none does. */
function closeTo(scan: Scan, matches: (frame: Frame) => boolean): boolean {
  const index = lastIndex(scan.stack, matches);
  if (index < 0) return false;
  flush(scan);
  for (const frame of scan.stack.splice(index).reverse()) {
    if (frame.style) scan.tokens.push({ type: 'close', style: frame.style });
  }
  return true;
}

/** Emits the math from `start` to `end` (its TeX between the content bounds) and moves past it. */
function pushMath(
  scan: Scan,
  start: number,
  contentStart: number,
  contentEnd: number,
  end: number,
  display: boolean,
) {
  flush(scan);
  scan.tokens.push({
    type: 'math',
    tex: scan.text.slice(contentStart, contentEnd),
    display,
    source: scan.text.slice(start, end),
  });
  scan.i = end;
}

/** Keeps `literal` as text and moves past it. */
function keep(scan: Scan, literal: string, width = literal.length): void {
  scan.plain += literal;
  scan.i += width;
}

/** The end of inline `$…$` opened at `start`, or -1: no space just inside, no line break, not before a digit. */
function inlineDollarEnd(scan: Scan, start: number): number {
  const { text, next } = scan;
  if (isSpace(text[start + 1]) || text[start + 1] === '$' || text[start - 1] === '\\') return -1;
  let close = next.dollar(start + 1);
  while (close > 0 && text[close - 1] === '\\') close = next.dollar(close + 1);
  if (close < 0) return -1;
  const lineBreak = next.newline(start + 1);
  if (lineBreak >= 0 && lineBreak < close) return -1;
  if (isSpace(text[close - 1]) || /\d/.test(text[close + 1] ?? '')) return -1;
  return close;
}

/** `$$…$$` or `$…$` at the cursor, or the dollars as text. */
function scanDollar(scan: Scan): void {
  const i = scan.i;
  if (scan.text[i + 1] === '$') {
    const close = scan.next.dollars(i + 2);
    if (close > i + 2) pushMath(scan, i, i + 2, close, close + 2, true);
    else keep(scan, '$$');
    return;
  }
  const close = inlineDollarEnd(scan, i);
  if (close > i + 1) pushMath(scan, i, i + 1, close, close + 1, false);
  else keep(scan, '$');
}

/** `\(…\)` or `\[…\]` at the cursor, or the opening as text. */
function scanMathDelimiter(scan: Scan, opening: '(' | '['): void {
  const i = scan.i;
  const close = opening === '(' ? scan.next.paren(i + 2) : scan.next.bracket(i + 2);
  if (close > i + 2) pushMath(scan, i, i + 2, close, close + 2, opening === '[');
  else keep(scan, `\\${opening}`);
}

/** Drops a reference command whose key ends at the first `}`, and the space before it; false when unclosed. */
function dropReference(scan: Scan): boolean {
  const close = scan.next.brace(scan.i);
  if (close <= 0) return false;
  if (scan.plain === '' && scan.tokens.at(-1)?.type === 'text') {
    scan.plain = (scan.tokens.pop() as { type: 'text'; text: string }).text;
  }
  scan.plain = withoutTrailingSpace(scan.plain);
  flush(scan);
  scan.i = close + 1;
  return true;
}

/** A backslash: math delimiters, an escaped character, a style or reference command, or a backslash as text. */
function scanBackslash(scan: Scan): void {
  const { text, i } = scan;
  const following = text[i + 1];
  if (following === '(' || following === '[') return scanMathDelimiter(scan, following);
  if (following !== undefined && ESCAPED.has(following)) return keep(scan, following, 2);
  const name = /^[a-zA-Z]+/.exec(text.slice(i + 1, i + 21))?.[0];
  if (name && text[i + 1 + name.length] === '{') {
    const style = COMMANDS[name];
    if (style) {
      openFrame(scan, style, null);
      scan.i += name.length + 2;
      return;
    }
    if (DROPPED.has(name) && dropReference(scan)) return;
  }
  keep(scan, '\\');
}

/** A `}` closes the innermost brace frame: a style command's, or a plain group's (kept as text). */
function scanClosingBrace(scan: Scan): void {
  const top = scan.stack[lastIndex(scan.stack, (frame) => frame.closesAt === null)];
  if (top && top.style === null) {
    scan.plain += '}';
    closeTo(scan, (frame) => frame === top);
  } else if (!top || !closeTo(scan, (frame) => frame === top)) {
    scan.plain += '}';
  }
  scan.i++;
}

/** `~` is a no-break space between words, else (as in a URL's `/~user`) itself. */
function scanTilde(scan: Scan): void {
  const previous = scan.text[scan.i - 1];
  const following = scan.text[scan.i + 1];
  keep(scan, isSpace(previous) || isSpace(following) || previous === '/' ? '~' : '\u00a0', 1);
}

/** Markdown `*em*` / `**strong**`: closes the frame that ends here, opens one whose close lies ahead, or is text. */
function scanStar(scan: Scan): void {
  const { text, next, i } = scan;
  const strong = text[i + 1] === '*';
  const width = strong ? 2 : 1;
  if (closeTo(scan, (frame) => frame.closesAt === i)) {
    scan.i += width;
    return;
  }
  const close = strong ? next.stars(i + 2) : next.star(i + 1);
  const lineBreak = next.newline(i + 1);
  const opens =
    close > i + width &&
    !isSpace(text[i + width]) &&
    !isSpace(text[close - 1]) &&
    (lineBreak < 0 || lineBreak > close) &&
    (strong || (text[close + 1] !== '*' && text[close - 1] !== '*'));
  if (opens) {
    openFrame(scan, strong ? 'strong' : 'em', close);
    scan.i += width;
    return;
  }
  keep(scan, strong ? '**' : '*');
}

/** Reads the construct starting with the special character at the cursor. */
function scanSpecial(scan: Scan): void {
  const char = scan.text[scan.i] as string;
  const following = scan.text[scan.i + 1];
  if (char === '$') return scanDollar(scan);
  if (char === '\\') return scanBackslash(scan);
  if (char === '{') {
    openFrame(scan, null, null);
    return keep(scan, '{');
  }
  if (char === '}') return scanClosingBrace(scan);
  if (char === '-' && following === '-') {
    const em = scan.text[scan.i + 2] === '-';
    return keep(scan, em ? '—' : '–', em ? 3 : 2);
  }
  if (char === '~') return scanTilde(scan);
  if (char === '*') return scanStar(scan);
  keep(scan, char);
}

/** Splits text into tokens; opens and closes always pair up, properly nested. */
export function tokenizeTex(text: string): TexToken[] {
  const scan: Scan = { text, i: 0, plain: '', tokens: [], stack: [], next: closingFinders(text) };
  while (scan.i < text.length) {
    // Runs of characters no rule reads are copied at once.
    SPECIAL.lastIndex = scan.i;
    const stop = SPECIAL.exec(text)?.index ?? text.length;
    if (stop > scan.i) {
      scan.plain += text.slice(scan.i, stop);
      scan.i = stop;
    } else {
      scanSpecial(scan);
    }
  }
  closeTo(scan, () => true);
  flush(scan);
  return scan.tokens;
}

/** The text as plain prose (feeds, mails' text part, meta tags): styles dropped, math kept as its TeX. */
export function texToPlainText(text: string): string {
  // Most titles and abstracts hold nothing the scan would change (no math, commands, emphasis or dashes).
  const prose = TEX_MARKUP.test(text)
    ? tokenizeTex(text)
        .map((token) => (token.type === 'text' ? token.text : token.type === 'math' ? token.tex : ''))
        .join('')
    : text;
  return collapseSpaces(prose).trim();
}

/** The first `max` characters of plain text, back to the last word's end when that is not far, no trailing comma. */
function cutAtWord(text: string, max: number): string {
  const head = text.slice(0, max);
  const space = head.lastIndexOf(' ');
  return (space > max * 0.6 ? head.slice(0, space) : head).replace(/[\s,;:.]+$/, '');
}

/** excerptTex of a text without markup, as text: whitespace collapsed, cut at a word with "…" when longer. */
export function excerptPlain(text: string, max: number): string {
  // Only the first 2 × max characters are read: what is left of them once whitespace is collapsed is the excerpt but
  // in a text mostly of blanks, which is then cut shorter.
  const visible = collapseSpaces(text.slice(0, 2 * max));
  return visible.length <= max && text.length <= 2 * max ? visible : `${cutAtWord(visible, max)}…`;
}

/**
 * The tokens of about the first `max` characters a reader sees (math counted as its TeX), whitespace collapsed,
 * cut at a word with "…", every style still open closed: a mail's short abstract.
 */
export function excerptTex(text: string, max: number): TexToken[] {
  const out: TexToken[] = [];
  const open: TextStyle[] = [];
  let budget = max;
  let cut = false;
  for (const token of tokenizeTex(text)) {
    if (token.type === 'open') open.push(token.style);
    if (token.type === 'close') open.pop();
    if (token.type !== 'text' && token.type !== 'math') {
      out.push(token);
      continue;
    }
    const visible = token.type === 'text' ? collapseSpaces(token.text) : token.tex;
    if (visible.length <= budget) {
      out.push(token.type === 'text' ? { type: 'text', text: visible } : token);
      budget -= visible.length;
      continue;
    }
    if (token.type === 'text') out.push({ type: 'text', text: cutAtWord(visible, budget) });
    cut = true;
    break;
  }
  if (cut) {
    for (const style of open.reverse()) out.push({ type: 'close', style });
    out.push({ type: 'text', text: '…' });
  }
  return out;
}
