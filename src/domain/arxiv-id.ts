import { succeeds } from './succeeds.ts';

/** Thrown for a string that is not an arXiv identifier. */
export class InvalidArxivIdError extends Error {
  constructor(readonly input: string) {
    super(`not an arXiv id: ${JSON.stringify(input.length > 80 ? `${input.slice(0, 80)}…` : input)}`);
    this.name = 'InvalidArxivIdError';
  }
}

export interface ParsedArxivId {
  /** Versionless id: "2405.15738", "hep-th/9901001". */
  id: string;
  version: number | null;
}

const NEW_STYLE = /^(\d{4}\.\d{4,5})(?:v(\d+))?$/;
// Old-style archive names: letters and dashes, optionally a ".XX" subject class (math.GT/0309136).
const OLD_STYLE = /^([a-z][a-z-]*(?:\.[A-Z]{2})?)\/(\d{7})(?:v(\d+))?$/;
const URL_PREFIX =
  /^(?:https?:\/\/)?(?:www\.|export\.)?(?:arxiv\.org|huggingface\.co\/papers|hf\.co\/papers)\/?(?:abs\/|pdf\/|html\/|papers\/)?/i;

/**
 * Parses an arXiv id in any of the forms people paste: "2405.15738v2", "arXiv:2405.15738",
 * "hep-th/9901001", "https://arxiv.org/abs/…", "https://arxiv.org/pdf/….pdf", a Hugging Face paper URL.
 * Old-style ids keep their subject class out (math.GT/0309136 → math/0309136) as arXiv does.
 */
export function parseArxivId(input: string): ParsedArxivId {
  let s = input.trim();
  s = s.replace(URL_PREFIX, '');
  s = s.replace(/^arxiv:/i, '');
  s = s
    .replace(/[?#].*$/, '')
    .replace(/\.pdf$/i, '')
    .replace(/\/+$/, '');
  const modern = NEW_STYLE.exec(s);
  if (modern?.[1]) {
    return { id: modern[1], version: modern[2] ? Number(modern[2]) : null };
  }
  const old = OLD_STYLE.exec(s);
  if (old?.[1] && old[2]) {
    const archive = old[1].replace(/\.[A-Z]{2}$/, '');
    return { id: `${archive}/${old[2]}`, version: old[3] ? Number(old[3]) : null };
  }
  throw new InvalidArxivIdError(input);
}

/** The versionless id, or throws InvalidArxivIdError. */
export function normalizeArxivId(input: string): string {
  return parseArxivId(input).id;
}

export function isArxivId(input: string): boolean {
  return succeeds(() => parseArxivId(input));
}

export function arxivAbsUrl(id: string): string {
  return `https://arxiv.org/abs/${id}`;
}

export function arxivPdfUrl(id: string): string {
  return `https://arxiv.org/pdf/${id}`;
}
