import type { Readable } from 'node:stream';
import { z } from 'zod';
import { parseArxivId } from '../domain/arxiv-id.ts';
import type { PaperRecord } from '../domain/paper.ts';
import { cleanAbstract, cleanTitle, collapseSpaces } from '../domain/paper-text.ts';
import { admittedItem } from './admit.ts';
import { readLines } from './lines.ts';
import type { ParsedItem } from './parsed-item.ts';
import { describeIssue, SourceRecordError } from './record-error.ts';

const optionalString = z.string().nullish();

/** arXiv's metadata snapshot (the Kaggle "arxiv-metadata-oai-snapshot" JSON lines). */
const snapshotRecord = z.looseObject({
  id: z.string(),
  title: z.string().min(1),
  abstract: z.string(),
  authors: z.string().optional(),
  authors_parsed: z.array(z.array(z.string())).optional(),
  categories: z.string().optional(),
  comments: optionalString,
  'journal-ref': optionalString,
  doi: optionalString,
  license: optionalString,
  versions: z.array(z.looseObject({ version: z.string(), created: z.string() })).optional(),
  update_date: optionalString,
});

/** The daily-listing crawler format of the shared arXiv file. */
const listingRecord = z.looseObject({
  id: z.string(),
  title: z.string().min(1),
  summary: z.string(),
  authors: z.array(z.string()),
  categories: z.array(z.string()).optional(),
  comment: optionalString,
  pdf: optionalString,
  listed_on: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
    .nullish(),
});

export interface ArxivJsonlOptions {
  /** Put crawler records on the day they were listed (`listed_on`), so they show in the daily lists. */
  listOnDay?: boolean;
  /**
   * Read only this thread's share of the lines (runs of SHARE_RUN lines, dealt out in turn to `of` threads), so
   * that several threads check one file at once; the other lines are skipped unparsed.
   */
  share?: LineShare;
}

export interface LineShare {
  index: number;
  of: number;
}

const SHARE_RUN = 64;

const isOwnLine = (lineNumber: number, share: LineShare | undefined) =>
  !share || Math.floor((lineNumber - 1) / SHARE_RUN) % share.of === share.index;

function isoDate(value: string | undefined): string | null {
  if (!value) return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

function fromSnapshot(raw: z.infer<typeof snapshotRecord>): PaperRecord {
  const versions = (raw.versions ?? [])
    .map((v) => ({ number: Number(v.version.replace(/^v/, '')), created: v.created }))
    .filter((v) => Number.isInteger(v.number))
    .sort((a, b) => a.number - b.number);
  const authors = raw.authors_parsed
    ? raw.authors_parsed.map(([last = '', first = '', suffix = '']) =>
        [first, last, suffix].filter(Boolean).join(' '),
      )
    : (raw.authors ?? '').split(/,\s*|\s+and\s+/);
  const parsed = parseArxivId(raw.id);
  return {
    id: parsed.id,
    source: 'arxiv',
    version: versions.at(-1)?.number ?? parsed.version,
    title: cleanTitle(raw.title),
    abstract: cleanAbstract(raw.abstract),
    authors: authors
      .map((name) => collapseSpaces(name).trim())
      .filter(Boolean)
      .map((name) => ({ name, hfId: null, hidden: false })),
    categories: (raw.categories ?? '').split(/\s+/).filter(Boolean),
    publishedAt: isoDate(versions[0]?.created),
    updatedAt: isoDate(versions.at(-1)?.created) ?? isoDate(raw.update_date ?? undefined),
    comment: raw.comments ?? null,
    journalRef: raw['journal-ref'] ?? null,
    doi: raw.doi ?? null,
    license: raw.license ?? null,
  };
}

function fromListing(raw: z.infer<typeof listingRecord>, options: ArxivJsonlOptions): PaperRecord {
  const parsed = parseArxivId(raw.id);
  return {
    id: parsed.id,
    source: 'arxiv',
    version: parsed.version,
    title: cleanTitle(raw.title),
    abstract: cleanAbstract(raw.summary),
    authors: raw.authors.map((name) => ({
      name: collapseSpaces(name).trim(),
      hfId: null,
      hidden: false,
    })),
    categories: raw.categories ?? [],
    comment: raw.comment ?? null,
    pdfUrl: raw.pdf ?? null,
    ...(options.listOnDay &&
      raw.listed_on && { daily: { day: raw.listed_on, submittedBy: null, submittedAt: null } }),
  };
}

function parseLine(text: string, options: ArxivJsonlOptions): ParsedItem {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`invalid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error('expected one JSON object per line');
  }
  // The snapshot has "abstract", the crawler "summary": that tells the formats apart, line by line.
  if ('abstract' in value) {
    const parsed = snapshotRecord.safeParse(value);
    if (!parsed.success) throw new Error(`arXiv snapshot record: ${describeIssue(parsed.error.issues)}`);
    return admittedItem(fromSnapshot(parsed.data));
  }
  if ('summary' in value) {
    const parsed = listingRecord.safeParse(value);
    if (!parsed.success) throw new Error(`arXiv listing record: ${describeIssue(parsed.error.issues)}`);
    return admittedItem(fromListing(parsed.data, options));
  }
  throw new Error('neither an arXiv snapshot record (no "abstract") nor a listing record (no "summary")');
}

/** arXiv metadata as JSON lines, in the snapshot or the crawler listing format (detected per line), streamed. */
export async function* readArxivJsonl(
  input: Readable,
  file: string,
  options: ArxivJsonlOptions = {},
): AsyncGenerator<ParsedItem> {
  for await (const line of readLines(input)) {
    const { lineNumber } = line;
    if (!isOwnLine(lineNumber, options.share)) continue;
    if ('error' in line) {
      yield { ok: false, error: new SourceRecordError(file, lineNumber, line.error) };
      continue;
    }
    try {
      yield parseLine(line.text, options);
    } catch (error) {
      yield { ok: false, error: new SourceRecordError(file, lineNumber, (error as Error).message) };
    }
  }
}
