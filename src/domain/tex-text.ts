/**
 * Reads abstracts and titles as authors write them: LaTeX math (`$…$`, `$$…$$`, `\(…\)`, `\[…\]`), LaTeX
 * text-mode commands (`\textbf{…}`, `\emph{…}`, `\textit{…}`, `\texttt{…}`, `\textsc{…}`, `--`, `---`, `\%`, `~`,
 * `\cite{…}`) and Markdown `*emphasis*` / `**strong**`. One pass from left to right: every search for a closing
 * delimiter resumes where the last one for that delimiter stopped, so the whole scan is linear in the text, however
 * many unclosed delimiters it holds.
 */

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

/** Splits text into tokens; opens and closes always pair up, properly nested. */
export function tokenizeTex(text: string): TexToken[] {
  const tokens: TexToken[] = [];
  const stack: Frame[] = [];
  const next = {
    dollar: finder(text, '$'),
    dollars: finder(text, '$$'),
    paren: finder(text, '\\)'),
    bracket: finder(text, '\\]'),
    newline: finder(text, '\n'),
    star: finder(text, '*'),
    stars: finder(text, '**'),
    brace: finder(text, '}'),
  };
  let plain = '';
  const flush = () => {
    if (plain) tokens.push({ type: 'text', text: plain });
    plain = '';
  };
  const open = (style: TextStyle | null, closesAt: number | null) => {
    flush();
    stack.push({ style, closesAt });
    if (style) tokens.push({ type: 'open', style });
  };
  /** Closes frames down to and including the one `matches` picks; nothing when none does. */
  const closeTo = (matches: (frame: Frame) => boolean): boolean => {
    const index = lastIndex(stack, matches);
    if (index < 0) return false;
    flush();
    for (const frame of stack.splice(index).reverse()) {
      if (frame.style) tokens.push({ type: 'close', style: frame.style });
    }
    return true;
  };
  const math = (start: number, contentStart: number, contentEnd: number, end: number, display: boolean) => {
    flush();
    tokens.push({
      type: 'math',
      tex: text.slice(contentStart, contentEnd),
      display,
      source: text.slice(start, end),
    });
    return end;
  };

  /** The end of inline `$…$` opened at `start`, or -1: no space just inside, no line break, not before a digit. */
  const inlineDollarEnd = (start: number): number => {
    if (isSpace(text[start + 1]) || text[start + 1] === '$' || text[start - 1] === '\\') return -1;
    let close = next.dollar(start + 1);
    while (close > 0 && text[close - 1] === '\\') close = next.dollar(close + 1);
    if (close < 0) return -1;
    const lineBreak = next.newline(start + 1);
    if (lineBreak >= 0 && lineBreak < close) return -1;
    if (isSpace(text[close - 1]) || /\d/.test(text[close + 1] ?? '')) return -1;
    return close;
  };

  let i = 0;
  while (i < text.length) {
    // Runs of characters no rule reads are copied at once.
    SPECIAL.lastIndex = i;
    const stop = SPECIAL.exec(text)?.index ?? text.length;
    if (stop > i) {
      plain += text.slice(i, stop);
      i = stop;
      continue;
    }
    const char = text[i] as string;
    const following = text[i + 1];
    if (char === '$') {
      if (following === '$') {
        const close = next.dollars(i + 2);
        if (close > i + 2) {
          i = math(i, i + 2, close, close + 2, true);
          continue;
        }
        plain += '$$';
        i += 2;
        continue;
      }
      const close = inlineDollarEnd(i);
      if (close > i + 1) {
        i = math(i, i + 1, close, close + 1, false);
        continue;
      }
      plain += '$';
      i++;
      continue;
    }
    if (char === '\\') {
      if (following === '(' || following === '[') {
        const close = following === '(' ? next.paren(i + 2) : next.bracket(i + 2);
        if (close > i + 2) {
          i = math(i, i + 2, close, close + 2, following === '[');
          continue;
        }
        plain += `\\${following}`;
        i += 2;
        continue;
      }
      if (following !== undefined && ESCAPED.has(following)) {
        plain += following;
        i += 2;
        continue;
      }
      const name = /^[a-zA-Z]+/.exec(text.slice(i + 1, i + 21))?.[0];
      if (name && text[i + 1 + name.length] === '{') {
        const style = COMMANDS[name];
        if (style) {
          open(style, null);
          i += name.length + 2;
          continue;
        }
        if (DROPPED.has(name)) {
          // A reference's key has no braces: it ends at the first `}`.
          const close = next.brace(i);
          if (close > 0) {
            if (plain === '' && tokens.at(-1)?.type === 'text') {
              plain = (tokens.pop() as { type: 'text'; text: string }).text;
            }
            plain = withoutTrailingSpace(plain);
            flush();
            i = close + 1;
            continue;
          }
        }
      }
      plain += '\\';
      i++;
      continue;
    }
    if (char === '{') {
      open(null, null);
      plain += '{';
      i++;
      continue;
    }
    if (char === '}') {
      const top = stack[lastIndex(stack, (frame) => frame.closesAt === null)];
      if (top && top.style === null) {
        plain += '}';
        closeTo((frame) => frame === top);
      } else if (!top || !closeTo((frame) => frame === top)) {
        plain += '}';
      }
      i++;
      continue;
    }
    if (char === '-' && following === '-') {
      const em = text[i + 2] === '-';
      plain += em ? '—' : '–';
      i += em ? 3 : 2;
      continue;
    }
    if (char === '~') {
      const previous = text[i - 1];
      plain += isSpace(previous) || isSpace(following) || previous === '/' ? '~' : '\u00a0';
      i++;
      continue;
    }
    if (char === '*') {
      const strong = following === '*';
      const width = strong ? 2 : 1;
      const style: TextStyle = strong ? 'strong' : 'em';
      if (closeTo((frame) => frame.closesAt === i)) {
        i += width;
        continue;
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
        open(style, close);
        i += width;
        continue;
      }
      plain += strong ? '**' : '*';
      i += width;
      continue;
    }
    plain += char;
    i++;
  }
  closeTo(() => true);
  flush();
  return tokens;
}

/** The text as plain prose (feeds, mails' text part, meta tags): styles dropped, math kept as its TeX. */
export function texToPlainText(text: string): string {
  return tokenizeTex(text)
    .map((token) => (token.type === 'text' ? token.text : token.type === 'math' ? token.tex : ''))
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
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
    const visible = token.type === 'text' ? token.text.replace(/\s+/g, ' ') : token.tex;
    if (visible.length <= budget) {
      out.push(token.type === 'text' ? { type: 'text', text: visible } : token);
      budget -= visible.length;
      continue;
    }
    if (token.type === 'text') {
      const head = visible.slice(0, budget);
      const space = head.lastIndexOf(' ');
      out.push({
        type: 'text',
        text: (space > budget * 0.6 ? head.slice(0, space) : head).replace(/[\s,;:.]+$/, ''),
      });
    }
    cut = true;
    break;
  }
  if (cut) {
    for (const style of open.reverse()) out.push({ type: 'close', style });
    out.push({ type: 'text', text: '…' });
  }
  return out;
}
