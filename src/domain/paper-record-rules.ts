import { stripControlCharacters } from './control-characters.ts';
import type { PaperRecord } from './paper.ts';
import { safeUrl } from './safe-url.ts';

/**
 * Generous bounds on imported text, far above real papers (arXiv caps abstracts at 1,920 characters; the
 * longest author lists are near 5,200 names; in the 2025–2026 listings the longest "author" is 512 characters of
 * run-together names and the longest "category" 153 characters of MSC codes), so only broken or hostile input
 * meets them.
 */
export const PAPER_TEXT_LIMITS = {
  title: 1_000,
  abstract: 20_000,
  authors: 10_000,
  authorName: 1_000,
  comment: 5_000,
  journalRef: 1_000,
  doi: 300,
  license: 300,
  aiSummary: 5_000,
  aiKeywords: 200,
  keyword: 200,
  categories: 100,
  category: 500,
  name: 300,
  /** The kept Hugging Face entry as JSON (chiefly its author list: about 100 characters an author). */
  hfExtra: 2_000_000,
} as const;

/** A record breaks a rule no import may break (e.g. a 50,000-character title). */
export class PaperRecordError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PaperRecordError';
  }
}

/** Link fields of a record, by name; each must pass the URL policy or is dropped. */
export type LinkField =
  | 'pdfUrl'
  | 'githubRepo'
  | 'projectPage'
  | 'thumbnail'
  | 'organization.avatarUrl'
  | 'submitter.avatarUrl';

export interface AdmittedRecord {
  record: PaperRecord;
  /** Links that failed the URL policy and were stored as none. */
  droppedLinks: LinkField[];
}

const count = new Intl.NumberFormat('en-US');

function text(field: string, value: string, limit: number): string {
  const cleaned = stripControlCharacters(value);
  if (cleaned.length > limit) {
    throw new PaperRecordError(
      `${field} is ${count.format(cleaned.length)} characters long (the limit is ${count.format(limit)})`,
    );
  }
  return cleaned;
}

function optionalText<T extends string | null | undefined>(field: string, value: T, limit: number): T {
  return (typeof value === 'string' ? text(field, value, limit) : value) as T;
}

function list(field: string, values: string[], limit: number, itemLimit: number, item: string): string[] {
  if (values.length > limit) {
    throw new PaperRecordError(
      `${field} has ${count.format(values.length)} entries (the limit is ${count.format(limit)})`,
    );
  }
  return values.map((value) => text(item, value, itemLimit));
}

/**
 * What every importer applies to a record before it is stored: control characters stripped from its text,
 * text over PAPER_TEXT_LIMITS refused (PaperRecordError), and links that fail the URL policy dropped (set to
 * null, "none") and reported.
 */
export function admitPaperRecord(record: PaperRecord): AdmittedRecord {
  const limits = PAPER_TEXT_LIMITS;
  const droppedLinks: LinkField[] = [];
  const link = (field: LinkField, value: string | null | undefined): string | null | undefined => {
    if (typeof value !== 'string') return value;
    const safe = safeUrl(value);
    if (safe === null) droppedLinks.push(field);
    return safe;
  };
  if (record.authors.length > limits.authors) {
    throw new PaperRecordError(
      `authors has ${count.format(record.authors.length)} entries (the limit is ${count.format(limits.authors)})`,
    );
  }
  const hfExtraLength = record.hfExtra ? JSON.stringify(record.hfExtra).length : 0;
  if (hfExtraLength > limits.hfExtra) {
    throw new PaperRecordError(
      `the Hugging Face entry is ${count.format(hfExtraLength)} characters of JSON (the limit is ${count.format(limits.hfExtra)})`,
    );
  }
  const { organization, daily } = record;
  const submitter = daily?.submittedBy;
  const admitted: PaperRecord = {
    ...record,
    title: text('title', record.title, limits.title),
    abstract: text('abstract', record.abstract, limits.abstract),
    authors: record.authors.map((author) => ({
      ...author,
      name: text('author name', author.name, limits.authorName),
    })),
    ...(record.categories && {
      categories: list('categories', record.categories, limits.categories, limits.category, 'category'),
    }),
    ...(record.aiKeywords && {
      aiKeywords: list('ai_keywords', record.aiKeywords, limits.aiKeywords, limits.keyword, 'keyword'),
    }),
    comment: optionalText('comment', record.comment, limits.comment),
    journalRef: optionalText('journal reference', record.journalRef, limits.journalRef),
    doi: optionalText('doi', record.doi, limits.doi),
    license: optionalText('license', record.license, limits.license),
    aiSummary: optionalText('ai_summary', record.aiSummary, limits.aiSummary),
    pdfUrl: link('pdfUrl', record.pdfUrl),
    githubRepo: link('githubRepo', record.githubRepo),
    projectPage: link('projectPage', record.projectPage),
    thumbnail: link('thumbnail', record.thumbnail),
    ...(organization && {
      organization: {
        name: text('organization name', organization.name, limits.name),
        fullName: optionalText('organization full name', organization.fullName, limits.name),
        avatarUrl: link('organization.avatarUrl', organization.avatarUrl) ?? null,
      },
    }),
    ...(daily &&
      submitter && {
        daily: {
          ...daily,
          submittedBy: {
            user: text('submitter', submitter.user, limits.name),
            fullname: optionalText('submitter full name', submitter.fullname, limits.name),
            avatarUrl: link('submitter.avatarUrl', submitter.avatarUrl) ?? null,
          },
        },
      }),
  };
  // Spreading keeps fields a source left out (undefined: "unknown") out, as the merge rules expect.
  for (const key of Object.keys(admitted) as Array<keyof PaperRecord>) {
    if (admitted[key] === undefined && !(key in record)) delete admitted[key];
  }
  return { record: admitted, droppedLinks };
}
