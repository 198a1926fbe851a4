import katex from 'katex';
import { escapeHtml } from '../../text/escape.ts';
import { raw, type SafeHtml } from '../html.ts';

// $$…$$, \[…\], \(…\), then $…$ whose content does not start or end with a space (so "$5 and $10" stays prose).
const MATH =
  /\$\$([\s\S]+?)\$\$|\\\[([\s\S]+?)\\\]|\\\(([\s\S]+?)\\\)|(?<![\\$])\$(?![\s$])((?:\\\$|[^$\n])+?)(?<!\s)\$(?!\d)/g;

const cache = new Map<string, string>();

function renderFormula(tex: string, displayMode: boolean): string | null {
  const key = `${displayMode ? 'D' : 'I'}${tex}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  let rendered: string | null;
  try {
    rendered = katex.renderToString(tex, {
      displayMode,
      throwOnError: true,
      output: 'htmlAndMathml',
      trust: false,
      strict: 'ignore',
      maxSize: 20,
      maxExpand: 200,
    });
  } catch {
    rendered = null;
  }
  if (cache.size > 20_000) cache.clear();
  if (rendered !== null) cache.set(key, rendered);
  return rendered;
}

/** Escapes text and renders its LaTeX math with KaTeX on the server; a formula KaTeX rejects stays as text. */
export function renderTextWithMath(text: string): SafeHtml {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(MATH)) {
    const index = match.index ?? 0;
    const display = match[1] ?? match[2];
    const tex = display ?? match[3] ?? match[4] ?? '';
    const rendered = renderFormula(tex.replaceAll('\\$', '\\$'), display !== undefined);
    out += escapeHtml(text.slice(last, index));
    out += rendered ?? escapeHtml(match[0]);
    last = index + match[0].length;
  }
  out += escapeHtml(text.slice(last));
  return raw(out.replaceAll('\\$', '$'));
}

/** Paragraphs (split on blank lines), each with math rendered. */
export function renderParagraphs(text: string): SafeHtml {
  return raw(
    text
      .split(/\n\s*\n/)
      .filter((paragraph) => paragraph.trim())
      .map((paragraph) => `<p>${renderTextWithMath(paragraph).value}</p>`)
      .join(''),
  );
}

/** Plain text of a title for <title>, feeds and meta tags: math delimiters dropped, nothing rendered. */
export function plainText(text: string): string {
  return text
    .replace(/\$\$?|\\[()[\]]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}
