import type { Readable } from 'node:stream';
import { z } from 'zod';
import { parseArxivId } from '../domain/arxiv-id.ts';
import type { HfExtra, PaperRecord } from '../domain/paper.ts';
import { cleanAbstract, cleanTitle } from '../domain/paper-text.ts';
import { succeeds } from '../domain/succeeds.ts';
import { admittedItem } from './admit.ts';
import { readLines } from './lines.ts';
import type { ParsedItem } from './parsed-item.ts';
import { describeIssue, SourceRecordError } from './record-error.ts';

const optionalString = z.string().nullish();

// paper.submittedOnDailyBy names the account `user`; entry.submittedBy names it `name`.
const hfUser = z.looseObject({
  user: optionalString,
  name: optionalString,
  fullname: optionalString,
  avatarUrl: optionalString,
});

const hfOrganization = z.looseObject({
  name: z.string().min(1),
  fullname: optionalString,
  avatar: optionalString,
});

const hfEntry = z.looseObject({
  paper: z.looseObject({
    id: z.string(),
    title: z.string().min(1),
    summary: z.string(),
    authors: z.array(
      z.looseObject({ _id: optionalString, name: z.string(), hidden: z.boolean().optional() }),
    ),
    publishedAt: optionalString,
    upvotes: z.number().int().nonnegative().optional(),
    submittedOnDailyAt: optionalString,
    submittedOnDailyBy: hfUser.nullish(),
    ai_summary: optionalString,
    ai_keywords: z.array(z.string()).nullish(),
    githubRepo: optionalString,
    githubStars: z.number().int().nullish(),
    projectPage: optionalString,
    organization: hfOrganization.nullish(),
  }),
  publishedAt: optionalString,
  thumbnail: optionalString,
  mediaUrl: optionalString,
  numComments: z.number().int().nonnegative().optional(),
  submittedBy: hfUser.nullish(),
  organization: hfOrganization.nullish(),
});

type HfEntry = z.infer<typeof hfEntry>;

/** The day a Hugging Face entry was listed on. */
function listingDay(entry: HfEntry, lineDate: string | null): string | null {
  // Measured on the shared 2024–2026 file: the UTC date of submittedOnDailyAt equals the day the API listed the
  // entry under in 7,077 of 7,077 entries that have it (its America/New_York date only in 860), so UTC it is.
  const submitted = entry.paper.submittedOnDailyAt;
  if (submitted && !Number.isNaN(Date.parse(submitted)))
    return new Date(submitted).toISOString().slice(0, 10);
  if (lineDate) return lineDate;
  const published = entry.publishedAt;
  return published && !Number.isNaN(Date.parse(published))
    ? new Date(published).toISOString().slice(0, 10)
    : null;
}

const HF_ORIGIN = 'https://huggingface.co';

/** Hugging Face serves some avatars as paths on its own site ("/avatars/…svg"): made absolute there. */
export function huggingFaceUrl<T extends string | null | undefined>(value: T): T | string {
  return typeof value === 'string' && /^\/(?!\/)/.test(value.trim()) ? `${HF_ORIGIN}${value.trim()}` : value;
}

/** Stored in their own fields, changed here (votes, comments) or derived: left out of the kept entry. */
const OWN_PAPER_FIELDS = ['id', 'upvotes', 'ai_summary', 'ai_keywords', 'githubStars', 'submittedOnDailyAt'];
const OWN_ENTRY_FIELDS = ['numComments'];

function without(value: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([key]) => !keys.includes(key)));
}

/** The entry as Hugging Face served it, less the fields stored in columns of their own. */
export function hfExtraOf(raw: Record<string, unknown>): HfExtra {
  const paper = without(raw.paper as Record<string, unknown>, OWN_PAPER_FIELDS);
  return { ...without(raw, OWN_ENTRY_FIELDS), paper };
}

export function toPaperRecord(entry: HfEntry, lineDate: string | null, hfExtra?: HfExtra): PaperRecord {
  const { paper } = entry;
  const organization = paper.organization ?? entry.organization;
  const submitter = paper.submittedOnDailyBy ?? entry.submittedBy;
  const username = submitter?.user ?? submitter?.name;
  const day = listingDay(entry, lineDate);
  return {
    id: parseArxivId(paper.id).id,
    source: 'huggingface',
    version: null,
    title: cleanTitle(paper.title),
    abstract: cleanAbstract(paper.summary),
    authors: paper.authors.map((author) => ({
      name: author.name.trim(),
      hfId: author._id ?? null,
      hidden: author.hidden ?? false,
    })),
    publishedAt: paper.publishedAt ?? undefined,
    importedUpvotes: paper.upvotes ?? undefined,
    importedComments: entry.numComments ?? undefined,
    aiSummary: paper.ai_summary ?? null,
    aiKeywords: paper.ai_keywords ?? null,
    githubRepo: paper.githubRepo || null,
    githubStars: paper.githubStars ?? null,
    projectPage: paper.projectPage || null,
    thumbnail: huggingFaceUrl(entry.thumbnail ?? entry.mediaUrl ?? null),
    organization: organization
      ? {
          name: organization.name,
          fullName: organization.fullname ?? null,
          avatarUrl: huggingFaceUrl(organization.avatar ?? null),
        }
      : null,
    daily: day
      ? {
          day,
          submittedBy: username
            ? {
                user: username,
                fullname: submitter?.fullname ?? null,
                avatarUrl: huggingFaceUrl(submitter?.avatarUrl ?? null),
              }
            : null,
          submittedAt: paper.submittedOnDailyAt ?? null,
        }
      : null,
    ...(hfExtra && { hfExtra }),
  };
}

function parseEntry(
  raw: unknown,
  file: string,
  line: number,
  index: number,
  lineDate: string | null,
): ParsedItem {
  if (typeof raw === 'string') {
    const hint = raw.startsWith('{') ? ' (it looks like a Python repr, not JSON)' : '';
    return {
      ok: false,
      error: new SourceRecordError(file, line, `entry is a string, not a JSON object${hint}`, index),
    };
  }
  const parsed = hfEntry.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, error: new SourceRecordError(file, line, describeIssue(parsed.error.issues), index) };
  }
  try {
    return admittedItem(toPaperRecord(parsed.data, lineDate, hfExtraOf(raw as Record<string, unknown>)));
  } catch (error) {
    return { ok: false, error: new SourceRecordError(file, line, (error as Error).message, index) };
  }
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** One `/api/daily_papers` response is well under a megabyte; a document is read whole, so it is bounded. */
const MAX_DOCUMENT_CHARS = 64 * 1024 * 1024;
const EXPECTED = 'expected a JSON array of daily-paper entries or JSONL of {"date", "response"} days';

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') {
    const keys = Object.keys(value).slice(0, 5);
    return `an object with keys ${keys.map((key) => JSON.stringify(key)).join(', ') || '(none)'}`;
  }
  return `a ${typeof value}`;
}

/**
 * Hugging Face Daily Papers API responses, either one raw `/api/daily_papers` JSON document (read whole: API
 * responses are small) or JSONL of `{"date", "response"}` days (streamed). Each entry becomes a record or an error.
 */
export async function* readHfDaily(input: Readable, file: string): AsyncGenerator<ParsedItem> {
  let documentLines: string[] | null = null;
  let documentLength = 0;
  let mode: 'jsonl' | 'document' | null = null;
  for await (const line of readLines(input)) {
    const { lineNumber } = line;
    if ('error' in line) {
      yield { ok: false, error: new SourceRecordError(file, lineNumber, line.error) };
      // A document cannot be parsed without all of its lines.
      if (mode !== 'jsonl') return;
      continue;
    }
    const { text } = line;
    if (mode === null) mode = isCompleteJsonObject(text) ? 'jsonl' : 'document';
    if (mode === 'document') {
      documentLength += text.length;
      if (documentLength > MAX_DOCUMENT_CHARS) {
        const reason = `a JSON document over ${MAX_DOCUMENT_CHARS / 1024 / 1024} Mi characters: use JSONL of {"date", "response"} days`;
        yield { ok: false, error: new SourceRecordError(file, lineNumber, reason) };
        return;
      }
      documentLines ??= [];
      documentLines.push(text);
      continue;
    }
    yield* parseDayLine(text, lineNumber, file);
  }
  if (documentLines) yield* parseDocument(documentLines.join('\n'), file);
}

function isCompleteJsonObject(text: string): boolean {
  if (!text.trimStart().startsWith('{')) return false;
  return succeeds(() => JSON.parse(text));
}

function* parseDocument(text: string, file: string): Generator<ParsedItem> {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    yield { ok: false, error: new SourceRecordError(file, 1, `invalid JSON: ${(error as Error).message}`) };
    return;
  }
  if (Array.isArray(document)) {
    for (const [index, raw] of document.entries()) yield parseEntry(raw, file, 1, index + 1, null);
    return;
  }
  yield { ok: false, error: new SourceRecordError(file, 1, `${EXPECTED}, got ${describeValue(document)}`) };
}

function* parseDayLine(text: string, lineNumber: number, file: string): Generator<ParsedItem> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = text.trimStart().startsWith('{') ? `invalid JSON: ${(error as Error).message}` : EXPECTED;
    yield { ok: false, error: new SourceRecordError(file, lineNumber, reason) };
    return;
  }
  const day = value as { date?: unknown; response?: unknown };
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !('response' in value)) {
    yield {
      ok: false,
      error: new SourceRecordError(file, lineNumber, `${EXPECTED}, got ${describeValue(value)}`),
    };
    return;
  }
  if (typeof day.date !== 'string' || !DAY.test(day.date)) {
    yield { ok: false, error: new SourceRecordError(file, lineNumber, '"date" must be a YYYY-MM-DD string') };
    return;
  }
  if (!Array.isArray(day.response)) {
    const reason = `"response" must be an array of entries, got ${describeValue(day.response)}`;
    yield { ok: false, error: new SourceRecordError(file, lineNumber, reason) };
    return;
  }
  for (const [index, raw] of day.response.entries())
    yield parseEntry(raw, file, lineNumber, index + 1, day.date);
}
