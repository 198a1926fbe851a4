import katex from 'katex';
import { LRUCache } from 'lru-cache';
import {
  excerptPlain,
  excerptTex,
  type TexToken,
  type TextStyle,
  texToPlainText,
  tokenizeTex,
} from '../domain/tex-text.ts';
import { escapeHtml } from './escape.ts';
import { raw, type SafeHtml } from './html.ts';

/** A longer formula is shown as its source: typesetting it costs more than any real abstract needs. */
export const MAX_FORMULA_LENGTH = 2_000;
/** Typeset output above this is shown as source instead (a short formula can expand a lot). */
const MAX_RENDERED_LENGTH = 200_000;
/** Unless sized from the memory budget (`sizeMathCache`). */
const DEFAULT_CACHE_BYTES = 8 * 1024 * 1024;

const FAILED = '';
// Bounded in bytes (UTF-16: two per character), so a few huge entries cannot hold the memory of thousands.
const boundedCache = (bytes: number) =>
  new LRUCache<string, string>({
    maxSize: bytes,
    maxEntrySize: Math.min(bytes, MAX_RENDERED_LENGTH * 4),
    sizeCalculation: (value, key) => 2 * (value.length + key.length) + 64,
  });
/**
 * Typeset formulas (keys D…, I…), and apart from them the rendered texts that hold markup: a text's HTML is large
 * and seldom asked for again once the pages showing it are cached, and kept beside the formulas it would push
 * out the formulas that other texts share.
 */
let formulas = boundedCache(DEFAULT_CACHE_BYTES / 2);
let texts = boundedCache(DEFAULT_CACHE_BYTES / 2);

/** Keeps typeset formulas and texts up to `bytes` from now on (the process's share of its memory budget). */
export function sizeMathCache(bytes: number): void {
  formulas = boundedCache(Math.round(bytes / 2));
  texts = boundedCache(Math.round(bytes / 2));
}

function renderFormula(tex: string, displayMode: boolean): string | null {
  if (tex.length > MAX_FORMULA_LENGTH) return null;
  const key = `${displayMode ? 'D' : 'I'}${tex}`;
  const hit = formulas.get(key);
  if (hit !== undefined) return hit === FAILED ? null : hit;
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
  if (rendered !== null && rendered.length > MAX_RENDERED_LENGTH) rendered = null;
  formulas.set(key, rendered ?? FAILED);
  return rendered;
}

const TAGS: Record<TextStyle, [string, string]> = {
  strong: ['<strong>', '</strong>'],
  em: ['<em>', '</em>'],
  code: ['<code>', '</code>'],
  smallcaps: ['<span class="smallcaps">', '</span>'],
};

export interface TextHtmlOptions {
  /** Typeset math with KaTeX (pages), or show its TeX source (mails, which have no KaTeX stylesheet). */
  math: 'katex' | 'source';
}

function tokenHtml(token: TexToken, options: TextHtmlOptions): string {
  switch (token.type) {
    case 'text':
      return escapeHtml(token.text);
    case 'open':
      return TAGS[token.style][0];
    case 'close':
      return TAGS[token.style][1];
    case 'math': {
      const rendered = options.math === 'katex' ? renderFormula(token.tex, token.display) : null;
      return rendered ?? escapeHtml(options.math === 'katex' ? token.source : token.tex);
    }
  }
}

/** What tokenizeTex turns into something else than the text itself: most titles and abstracts have none. */
const HAS_MARKUP = /[$\\{}~*]|--/;

/**
 * Escapes text and renders what authors wrote in it (domain/tex-text.ts): math typeset with KaTeX on the server
 * (a formula KaTeX rejects, or a very long one, stays as text), text-mode commands and *emphasis* as HTML.
 */
export function renderTextWithMath(text: string, options: TextHtmlOptions = { math: 'katex' }): SafeHtml {
  if (!HAS_MARKUP.test(text)) return raw(escapeHtml(text));
  if (options.math !== 'katex') return renderTexTokens(tokenizeTex(text), options);
  return keptText(text, () => renderTexTokens(tokenizeTex(text), options).value);
}

/** A rendered text kept by `key` in the texts' cache: titles and abstracts come back page after page. */
function keptText(key: string, render: () => string): SafeHtml {
  const hit = texts.get(key);
  if (hit !== undefined) return raw(hit);
  const rendered = render();
  texts.set(key, rendered);
  return raw(rendered);
}

/**
 * About the first `max` characters of a text a reader sees (excerptTex), rendered as renderTextWithMath does: what a
 * card's few clamped lines of abstract show, without the kilobyte of HTML they would hide.
 */
export function renderExcerptWithMath(text: string, max: number): SafeHtml {
  // Markup past the excerpt's end does not change it (excerptPlain reads as far).
  if (!HAS_MARKUP.test(text.slice(0, 2 * max))) return raw(escapeHtml(excerptPlain(text, max)));
  // Texts never hold NUL (imports strip it): no text's own key starts so.
  return keptText(
    `\u0000${max}\u0000${text}`,
    () => renderTexTokens(excerptTex(text, max), { math: 'katex' }).value,
  );
}

/** Tokens of domain/tex-text.ts as HTML: text escaped, styles as tags, math typeset or as its source. */
export function renderTexTokens(tokens: TexToken[], options: TextHtmlOptions): SafeHtml {
  let out = '';
  for (const token of tokens) out += tokenHtml(token, options);
  return raw(out);
}

/** Paragraphs (split on blank lines), each rendered as renderTextWithMath does. */
export function renderParagraphs(text: string, options: TextHtmlOptions = { math: 'katex' }): SafeHtml {
  return raw(
    text
      .split(/\n\s*\n/)
      .filter((paragraph) => paragraph.trim())
      .map((paragraph) => `<p>${renderTextWithMath(paragraph, options).value}</p>`)
      .join(''),
  );
}

/** Plain text of a title or abstract for <title>, feeds and meta tags: math as its TeX, commands applied. */
export function plainText(text: string): string {
  return texToPlainText(text);
}
