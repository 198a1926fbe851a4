import { parseArxivId } from '../domain/arxiv-id.ts';
import type { PaperRecord } from '../domain/paper.ts';
import { admitPaperRecord } from '../domain/paper-record-rules.ts';
import { cleanAbstract, cleanTitle } from '../domain/paper-text.ts';
import { type PoliteFetchOptions, politeFetch } from './http-retry.ts';
import { child, childText, type XmlElement, xmlElements } from './xml-elements.ts';

export const ARXIV_OAI_URL = 'https://oaipmh.arxiv.org/oai';

export interface OaiHarvestOptions extends PoliteFetchOptions {
  baseUrl?: string;
  /** An arXiv set such as "cs" or "physics:hep-th". */
  set?: string;
  /** YYYY-MM-DD, inclusive. */
  from?: string;
  until?: string;
  /** Continue a list: only the token is sent, as the protocol requires. */
  resumptionToken?: string;
}

export interface HarvestPage {
  records: PaperRecord[];
  /** arXiv ids the repository reports as deleted. */
  deleted: string[];
  /** Token for the next page, or null when the list is complete. */
  nextToken: string | null;
  completeListSize: number | null;
  /** Position of this page's first record in the whole list, when the repository says. */
  cursor: number | null;
}

/** An error the repository answered with (`<error code="…">`). */
export class OaiError extends Error {
  constructor(
    readonly code: string,
    readonly detail: string,
  ) {
    super(`OAI-PMH error ${code}: ${detail}`);
    this.name = 'OaiError';
  }
}

export class OaiRecordError extends Error {
  constructor(identifier: string, reason: string) {
    super(`OAI record ${identifier}: ${reason}`);
    this.name = 'OaiRecordError';
  }
}

const WANTED = new Set(['record', 'resumptionToken', 'error']);

function requestUrl(options: OaiHarvestOptions): string {
  const url = new URL(options.baseUrl ?? ARXIV_OAI_URL);
  url.searchParams.set('verb', 'ListRecords');
  if (options.resumptionToken) {
    url.searchParams.set('resumptionToken', options.resumptionToken);
    return url.toString();
  }
  url.searchParams.set('metadataPrefix', 'arXiv');
  if (options.set) url.searchParams.set('set', options.set);
  if (options.from) url.searchParams.set('from', options.from);
  if (options.until) url.searchParams.set('until', options.until);
  return url.toString();
}

function authorName(author: XmlElement): string {
  return [childText(author, 'forenames'), childText(author, 'keyname'), childText(author, 'suffix')]
    .filter(Boolean)
    .join(' ');
}

function isoDay(value: string | null): string | null {
  return value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00.000Z` : null;
}

/** One `<record>` in arXiv's own metadata format. */
export function toPaperRecord(record: XmlElement): PaperRecord | { deleted: string } {
  const header = child(record, 'header');
  const identifier = (header && childText(header, 'identifier')) ?? '(no identifier)';
  if (header?.attributes.status === 'deleted') {
    return { deleted: parseArxivId(identifier.replace(/^oai:arXiv\.org:/i, '')).id };
  }
  const metadata = child(record, 'metadata');
  const arxiv = metadata && child(metadata, 'arXiv');
  if (!arxiv) throw new OaiRecordError(identifier, 'no <arXiv> metadata');
  const id = childText(arxiv, 'id');
  const title = childText(arxiv, 'title');
  if (!id) throw new OaiRecordError(identifier, 'missing <id>');
  if (!title) throw new OaiRecordError(identifier, 'missing <title>');
  let parsedId: string;
  try {
    parsedId = parseArxivId(id).id;
  } catch (error) {
    throw new OaiRecordError(identifier, (error as Error).message);
  }
  const authors = child(arxiv, 'authors')?.children.filter((element) => element.name === 'author') ?? [];
  const paper: PaperRecord = {
    id: parsedId,
    source: 'arxiv',
    version: null,
    title: cleanTitle(title),
    abstract: cleanAbstract(childText(arxiv, 'abstract') ?? ''),
    authors: authors
      .map(authorName)
      .filter(Boolean)
      .map((name) => ({ name, hfId: null, hidden: false })),
    categories: (childText(arxiv, 'categories') ?? '').split(/\s+/).filter(Boolean),
    publishedAt: isoDay(childText(arxiv, 'created')),
    updatedAt: isoDay(childText(arxiv, 'updated')) ?? isoDay(childText(arxiv, 'created')),
    comment: childText(arxiv, 'comments'),
    journalRef: childText(arxiv, 'journal-ref'),
    doi: childText(arxiv, 'doi'),
    license: childText(arxiv, 'license'),
  };
  try {
    return admitPaperRecord(paper).record;
  } catch (error) {
    throw new OaiRecordError(identifier, (error as Error).message);
  }
}

function numberAttribute(element: XmlElement, name: string): number | null {
  const value = Number(element.attributes[name]);
  return element.attributes[name] !== undefined && Number.isFinite(value) ? value : null;
}

/** Harvests `ListRecords` page by page, following resumption tokens until the list is complete. */
export async function* harvestOai(options: OaiHarvestOptions): AsyncGenerator<HarvestPage> {
  let token = options.resumptionToken;
  do {
    const response = await politeFetch(requestUrl({ ...options, resumptionToken: token }), options);
    const page: HarvestPage = {
      records: [],
      deleted: [],
      nextToken: null,
      completeListSize: null,
      cursor: null,
    };
    if (!response.body) throw new OaiError('emptyResponse', 'the repository sent no body');
    for await (const element of xmlElements(response.body, WANTED)) {
      if (element.name === 'error') {
        const code = element.attributes.code ?? 'unknown';
        if (code === 'noRecordsMatch') break;
        throw new OaiError(code, element.text.trim());
      }
      if (element.name === 'resumptionToken') {
        page.nextToken = element.text.trim() || null;
        page.completeListSize = numberAttribute(element, 'completeListSize');
        page.cursor = numberAttribute(element, 'cursor');
        continue;
      }
      const result = toPaperRecord(element);
      if ('deleted' in result) page.deleted.push(result.deleted);
      else page.records.push(result);
    }
    yield page;
    token = page.nextToken ?? undefined;
  } while (token);
}
