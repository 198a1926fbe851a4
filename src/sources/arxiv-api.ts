import { parseArxivId } from '../domain/arxiv-id.ts';
import type { PaperRecord } from '../domain/paper.ts';
import { admitPaperRecord, PaperRecordError } from '../domain/paper-record-rules.ts';
import { cleanAbstract, cleanTitle, collapseSpaces } from '../domain/paper-text.ts';
import { type PoliteFetchOptions, politeFetch } from './http-retry.ts';
import { child, childText, type XmlElement, xmlElements } from './xml-elements.ts';

export const ARXIV_API_URL = 'https://export.arxiv.org';
const CHUNK = 100;

export interface ArxivApiOptions extends PoliteFetchOptions {
  baseUrl?: string;
}

/** The arXiv API answered a request with an error entry (e.g. a malformed id). */
export class ArxivApiError extends Error {
  constructor(message: string) {
    super(`arXiv API: ${message}`);
    this.name = 'ArxivApiError';
  }
}

export class UnknownArxivPaperError extends Error {
  constructor(readonly id: string) {
    super(`arXiv has no paper ${id}`);
    this.name = 'UnknownArxivPaperError';
  }
}

function toPaperRecord(entry: XmlElement): PaperRecord {
  try {
    return admitPaperRecord(parseEntry(entry)).record;
  } catch (error) {
    if (error instanceof PaperRecordError)
      throw new ArxivApiError(`${childText(entry, 'id')}: ${error.message}`);
    throw error;
  }
}

function parseEntry(entry: XmlElement): PaperRecord {
  const idUrl = childText(entry, 'id') ?? '';
  const parsed = parseArxivId(idUrl);
  const categories = entry.children
    .filter((element) => element.name === 'category')
    .map((element) => element.attributes.term)
    .filter((term): term is string => Boolean(term));
  const primary = child(entry, 'primary_category')?.attributes.term;
  const ordered = primary ? [primary, ...categories.filter((term) => term !== primary)] : categories;
  const pdf = entry.children.find((element) => element.name === 'link' && element.attributes.title === 'pdf');
  return {
    id: parsed.id,
    source: 'arxiv',
    version: parsed.version,
    title: cleanTitle(childText(entry, 'title') ?? ''),
    abstract: cleanAbstract(childText(entry, 'summary') ?? ''),
    authors: entry.children
      .filter((element) => element.name === 'author')
      .map((author) => childText(author, 'name'))
      .filter((name): name is string => Boolean(name))
      .map((name) => ({ name: collapseSpaces(name), hfId: null, hidden: false })),
    categories: ordered,
    publishedAt: childText(entry, 'published'),
    updatedAt: childText(entry, 'updated'),
    comment: childText(entry, 'comment'),
    journalRef: childText(entry, 'journal_ref'),
    doi: childText(entry, 'doi'),
    pdfUrl: pdf?.attributes.href?.replace(/^http:/, 'https:').replace(/v\d+$/, '') ?? null,
  };
}

/** Fetches papers by id from the arXiv API (Atom), at most 100 per request. */
export async function fetchArxivPapers(
  ids: string[],
  options: ArxivApiOptions = {},
): Promise<{ papers: PaperRecord[]; notFound: string[] }> {
  const wanted = [...new Set(ids.map((id) => parseArxivId(id).id))];
  const papers: PaperRecord[] = [];
  for (let start = 0; start < wanted.length; start += CHUNK) {
    const chunk = wanted.slice(start, start + CHUNK);
    const url = new URL('/api/query', options.baseUrl ?? ARXIV_API_URL);
    url.searchParams.set('id_list', chunk.join(','));
    url.searchParams.set('max_results', String(chunk.length));
    const response = await politeFetch(url.toString(), options);
    if (!response.body) throw new ArxivApiError('empty response');
    for await (const entry of xmlElements(response.body, new Set(['entry']))) {
      const title = childText(entry, 'title');
      if (title === 'Error') throw new ArxivApiError(childText(entry, 'summary') ?? 'unknown error');
      if (!childText(entry, 'id') || !title) continue;
      papers.push(toPaperRecord(entry));
    }
  }
  const found = new Set(papers.map((paper) => paper.id));
  return { papers, notFound: wanted.filter((id) => !found.has(id)) };
}

/** One paper by id or URL; UnknownArxivPaperError when arXiv has none. */
export async function fetchArxivPaper(id: string, options: ArxivApiOptions = {}): Promise<PaperRecord> {
  const { papers } = await fetchArxivPapers([id], options);
  const paper = papers[0];
  if (!paper) throw new UnknownArxivPaperError(parseArxivId(id).id);
  return paper;
}
