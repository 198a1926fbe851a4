/** Longest link we keep; real GitHub, project and PDF links are far shorter. */
export const MAX_URL_LENGTH = 2048;

const HTTP_URL = /^https?:\/\//i;
// Whitespace and control characters are removed by URL parsers wherever they sit ("java\tscript:"), so a link
// that holds any is refused rather than guessed at.
const UNSAFE_CHARACTER = /[\s\u0000-\u001f\u007f-\u009f]/;

/**
 * The one policy for links we store and render: an absolute http(s) URL, surrounding whitespace trimmed, or
 * null. Anything else (`javascript:`, `data:`, relative or protocol-relative paths, junk) is refused.
 */
export function safeUrl(value: string | null | undefined): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  if (trimmed.length > MAX_URL_LENGTH || !HTTP_URL.test(trimmed) || UNSAFE_CHARACTER.test(trimmed))
    return null;
  let parsed: URL;
  try {
    parsed = new URL(trimmed);
  } catch {
    return null;
  }
  if ((parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || !parsed.hostname) return null;
  return trimmed;
}
