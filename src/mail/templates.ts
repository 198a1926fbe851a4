/**
 * Mail markup that survives mail clients: one centred 600px table, every style inline (Gmail and Outlook drop or
 * mangle <style>), bgcolor attributes as well as CSS, no images or scripts. Dark mode: the page declares both
 * schemes; clients that honour prefers-color-scheme get the dark palette from the <style> block (with
 * !important to beat the inline light one); clients that invert colours themselves (Gmail app, Outlook) get a
 * palette with enough contrast both ways, and [data-ogsc] rules for Outlook.com.
 */

import { escapeHtml } from '../text/escape.ts';

export function esc(value: string | number): string {
  return escapeHtml(String(value));
}

export const COLORS = {
  page: '#f4f4f1',
  card: '#ffffff',
  text: '#1c1d1f',
  muted: '#5f6368',
  border: '#e2e2de',
  accent: '#c2410c',
  link: '#1d4ed8',
} as const;

// Short on purpose: it is repeated on every block (mail clients do not all inherit fonts from tables).
const FONT = 'Helvetica,Arial,sans-serif';

const DARK_STYLE = `<style>
:root { color-scheme: light dark; supported-color-schemes: light dark; }
@media (prefers-color-scheme: dark) {
  .dp-page { background-color: #0f1115 !important; }
  .dp-card { background-color: #171a21 !important; border-color: #2a2f3a !important; }
  .dp-text { color: #e7e9ee !important; }
  .dp-muted { color: #9aa3b2 !important; }
  .dp-link { color: #93b4ff !important; }
  .dp-accent { color: #fb923c !important; }
  .dp-rule { border-color: #2a2f3a !important; }
  .dp-button { background-color: #fb923c !important; color: #1a1206 !important; }
}
[data-ogsc] .dp-text { color: #e7e9ee !important; }
[data-ogsc] .dp-muted { color: #9aa3b2 !important; }
[data-ogsc] .dp-link { color: #93b4ff !important; }
[data-ogsc] .dp-accent { color: #fb923c !important; }
</style>`;

/** A link around markup; `style` is appended to (and so overrides) the default link style. */
export function linkHtml(href: string, html: string, style = '', className = 'dp-link'): string {
  return `<a class="${className}" href="${esc(href)}" style="color:${COLORS.link};text-decoration:underline;${style}">${html}</a>`;
}

/** A link around text. */
export function link(href: string, text: string, style = '', className = 'dp-link'): string {
  return linkHtml(href, esc(text), style, className);
}

export function button(href: string, text: string): string {
  return `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:20px 0"><tr><td class="dp-button" bgcolor="${COLORS.accent}" style="border-radius:8px;background-color:${COLORS.accent}"><a class="dp-button" href="${esc(href)}" style="display:inline-block;padding:12px 22px;font-family:${FONT};font-size:16px;font-weight:bold;color:#ffffff;text-decoration:none;border-radius:8px">${esc(text)}</a></td></tr></table>`;
}

export function paragraph(html: string, muted = false): string {
  return `<p class="${muted ? 'dp-muted' : 'dp-text'}" style="margin:0 0 14px;font-family:${FONT};font-size:${muted ? 13 : 16}px;line-height:1.5;color:${muted ? COLORS.muted : COLORS.text}">${html}</p>`;
}

/** A part of a mail body; `shared` parts are the same in every mail of a run, so they are encoded once. */
export interface Piece {
  text: string;
  shared: boolean;
}

export const piece = (text: string, shared = false): Piece => ({
  text: text.endsWith('\n') ? text : `${text}\n`,
  shared,
});

const PAGE_HEAD = piece(
  `<!doctype html>
<html lang="en" xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="supported-color-schemes" content="light dark">
<meta name="x-apple-disable-message-reformatting">`,
  true,
);
const PAGE_BODY = piece(
  `${DARK_STYLE}
</head>
<body class="dp-page" style="margin:0;padding:0;background-color:${COLORS.page};-webkit-text-size-adjust:100%">`,
  true,
);
const PAGE_CARD = piece(
  `<table role="presentation" class="dp-page" width="100%" cellpadding="0" cellspacing="0" border="0" bgcolor="${COLORS.page}" style="background-color:${COLORS.page}">
<tr><td align="center" style="padding:24px 12px">
<table role="presentation" class="dp-card" width="600" cellpadding="0" cellspacing="0" border="0" bgcolor="${COLORS.card}" style="width:100%;max-width:600px;background-color:${COLORS.card};border:1px solid ${COLORS.border};border-radius:12px">
<tr><td style="padding:24px 28px 8px">
<p class="dp-accent" style="margin:0 0 4px;font-family:${FONT};font-size:14px;font-weight:bold;letter-spacing:.02em;color:${COLORS.accent}">Dailypapers</p>`,
  true,
);
const PAGE_FOOTER = piece(
  `</td></tr>
<tr><td class="dp-rule" style="padding:16px 28px 24px;border-top:1px solid ${COLORS.border}">`,
  true,
);
const PAGE_END = piece(
  `</td></tr>
</table>
</td></tr>
</table>
</body>
</html>`,
  true,
);

/** A whole mail page as pieces: `preheader` is the hidden preview line; `body` and `footer` are trusted markup. */
export function mailPieces(options: {
  title: string;
  preheader: string;
  body: Piece[];
  footer: Piece[];
}): Piece[] {
  return [
    PAGE_HEAD,
    piece(`<title>${esc(options.title)}</title>`),
    PAGE_BODY,
    piece(
      `<div style="display:none;max-height:0;overflow:hidden;mso-hide:all">${esc(options.preheader)}&#8199;&#65279;&#847;&#8199;&#65279;&#847;</div>`,
    ),
    PAGE_CARD,
    ...options.body,
    PAGE_FOOTER,
    ...options.footer,
    PAGE_END,
  ];
}

/** A whole mail page as one string. */
export function mailPage(options: {
  title: string;
  preheader: string;
  body: string;
  footer: string;
}): string {
  return mailPieces({ ...options, body: [piece(options.body)], footer: [piece(options.footer)] })
    .map((part) => part.text)
    .join('');
}

export function heading(text: string): string {
  return `<h1 class="dp-text" style="margin:0 0 16px;font-family:${FONT};font-size:24px;line-height:1.25;color:${COLORS.text}">${esc(text)}</h1>`;
}

export { FONT };
