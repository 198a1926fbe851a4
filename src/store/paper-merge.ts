import { createHash } from 'node:crypto';
import type { Author, DailyEntry, Organization, PaperRecord } from '../domain/paper.ts';
import { authorsJson, type PapersRow } from './paper-rows.ts';

type SqlValue = string | number | null;

/** The papers columns an import writes. */
export const PAPER_COLUMN_NAMES = [
  'version',
  'metadata_source',
  'title',
  'abstract',
  'published_at',
  'updated_at',
  'comment',
  'journal_ref',
  'doi',
  'license',
  'pdf_url',
  'github_repo',
  'github_stars',
  'project_page',
  'thumbnail',
  'organization_id',
  'ai_summary',
  'ai_keywords',
  'imported_upvotes',
  'imported_comments',
  'authors_hash',
  'authors_text',
  'authors_json',
  'categories_hash',
  'hf_extra',
] as const satisfies ReadonlyArray<keyof PapersRow>;

export type PaperColumnName = (typeof PAPER_COLUMN_NAMES)[number];
export type PaperRowColumnName = Exclude<PaperColumnName, 'hf_extra'>;

/** The columns of the papers row itself: the Hugging Face entry is kept in paper_hf_extras (4.5 KB, rarely read). */
export const PAPER_ROW_COLUMN_NAMES = PAPER_COLUMN_NAMES.filter(
  (name): name is PaperRowColumnName => name !== 'hf_extra',
);
export type PaperColumns = Pick<PapersRow, PaperColumnName>;

const hash = (value: unknown) => createHash('sha1').update(JSON.stringify(value)).digest('base64url');
const EMPTY_LIST_HASH = hash([]);

/** `undefined` (unknown to the source) keeps the stored value; anything else replaces it. */
function pick<T extends SqlValue>(incoming: T | undefined, stored: T): T {
  return incoming === undefined ? stored : incoming;
}

const SOURCE_RANK: Record<string, number> = { huggingface: 1, arxiv: 2 };

/**
 * A known newer version replaces the metadata and an older one never does; at the same (or an unknown) version,
 * the more authoritative source wins, so alternating imports from arXiv and Hugging Face do not flip-flop.
 */
function replacesMetadata(record: PaperRecord, stored: PaperColumns): boolean {
  const incomingVersion = record.version ?? 0;
  const storedVersion = stored.version ?? 0;
  if (incomingVersion !== storedVersion) return incomingVersion > storedVersion;
  return (SOURCE_RANK[record.source] ?? 0) >= (SOURCE_RANK[stored.metadata_source] ?? 0);
}

/** authors_json follows authors_hash (a migration's backfill may spell the same authors differently). */
export const columnsDiffer = (a: PaperColumns, b: PaperColumns): boolean =>
  PAPER_COLUMN_NAMES.some((name) => name !== 'authors_json' && a[name] !== b[name]);

/** The Hugging Face entry, kept in its own table, must be written (or deleted, when now null). */
export const hfExtraChanged = (current: PaperColumns, stored: PaperColumns | null): boolean =>
  current.hf_extra !== (stored?.hf_extra ?? null);

/** A paper row as one record leaves it, and what else must be written for it. */
export interface MergedPaper {
  columns: PaperColumns;
  /** Some column differs from the stored row; always true for a new paper. */
  rowChanged: boolean;
  /** Authors to write in place of the stored ones; null keeps them. */
  authors: Author[] | null;
  /** Categories to write in place of the stored ones; null keeps them. */
  categories: string[] | null;
  /** A GitHub star count to add to the star history; null adds none. */
  stars: number | null;
}

/**
 * Applies one record to the stored row (null for a new paper). `organizationId` finds or creates the record's
 * organization; it is asked only when the record names one.
 */
export function mergePaper(
  record: PaperRecord,
  stored: PaperColumns | null,
  organizationId: (organization: Organization) => number | null,
): MergedPaper {
  const columns = mergeColumns(
    record,
    stored,
    record.organization ? organizationId(record.organization) : record.organization,
  );
  if (!stored) {
    return {
      columns,
      rowChanged: true,
      authors: record.authors,
      categories: record.categories ?? null,
      stars: columns.github_stars,
    };
  }
  return {
    columns,
    rowChanged: columnsDiffer(columns, stored),
    authors: columns.authors_hash !== stored.authors_hash ? record.authors : null,
    categories: columns.categories_hash !== stored.categories_hash ? (record.categories ?? null) : null,
    // Star history feeds trending's "stars gained lately".
    stars: columns.github_stars !== stored.github_stars ? columns.github_stars : null,
  };
}

function mergeColumns(
  record: PaperRecord,
  stored: PaperColumns | null,
  organizationId: number | null | undefined,
): PaperColumns {
  const metadataCurrent = !stored || replacesMetadata(record, stored);
  const meta = <T extends SqlValue>(incoming: T | undefined, storedValue: T | undefined, fallback: T): T =>
    metadataCurrent ? pick(incoming, storedValue ?? fallback) : (storedValue ?? fallback);
  const keywords =
    record.aiKeywords === undefined
      ? undefined
      : record.aiKeywords === null
        ? null
        : JSON.stringify(record.aiKeywords);
  return {
    version: Math.max(record.version ?? 0, stored?.version ?? 0) || null,
    metadata_source: metadataCurrent ? record.source : (stored?.metadata_source ?? record.source),
    title: meta(record.title, stored?.title, ''),
    abstract: meta(record.abstract, stored?.abstract, ''),
    published_at: meta(record.publishedAt, stored?.published_at, null),
    updated_at: meta(record.updatedAt, stored?.updated_at, null),
    comment: meta(record.comment, stored?.comment, null),
    journal_ref: meta(record.journalRef, stored?.journal_ref, null),
    doi: meta(record.doi, stored?.doi, null),
    license: meta(record.license, stored?.license, null),
    pdf_url: meta(record.pdfUrl, stored?.pdf_url, null),
    authors_hash: meta(hash(record.authors), stored?.authors_hash, EMPTY_LIST_HASH),
    // Denormalized for the keyword index's author column.
    authors_text: meta(record.authors.map((author) => author.name).join(', '), stored?.authors_text, ''),
    // Denormalized for reading: the same authors as paper_authors, which the same hash decides to replace.
    authors_json: meta(authorsJson(record.authors), stored?.authors_json, '[]'),
    categories_hash: meta(
      record.categories === undefined ? undefined : hash(record.categories),
      stored?.categories_hash,
      EMPTY_LIST_HASH,
    ),
    github_repo: pick(record.githubRepo, stored?.github_repo ?? null),
    github_stars: pick(record.githubStars, stored?.github_stars ?? null),
    project_page: pick(record.projectPage, stored?.project_page ?? null),
    thumbnail: pick(record.thumbnail, stored?.thumbnail ?? null),
    organization_id: pick(organizationId, stored?.organization_id ?? null),
    ai_summary: pick(record.aiSummary, stored?.ai_summary ?? null),
    ai_keywords: pick(keywords, stored?.ai_keywords ?? null),
    imported_upvotes: pick(
      record.importedUpvotes === null ? 0 : record.importedUpvotes,
      stored?.imported_upvotes ?? 0,
    ),
    imported_comments: pick(
      record.importedComments === null ? 0 : record.importedComments,
      stored?.imported_comments ?? 0,
    ),
    hf_extra: pick(
      record.hfExtra === undefined ? undefined : record.hfExtra && JSON.stringify(record.hfExtra),
      stored?.hf_extra ?? null,
    ),
  };
}

/** A paper's listing on a day, with its submitter as the daily_entries row holds it. */
export interface Listing {
  day: string;
  user: string | null;
  fullname: string | null;
  avatar: string | null;
  submittedAt: string | null;
}

/**
 * The first listing wins; a later one only fills a missing submitter. Returns the listing as `entry` leaves it
 * (`listed` null: a new one), or null when it changes nothing.
 */
export function mergeListing(listed: Listing | null, entry: DailyEntry): Listing | null {
  const submitter = {
    user: entry.submittedBy?.user ?? null,
    fullname: entry.submittedBy?.fullname ?? null,
    avatar: entry.submittedBy?.avatarUrl ?? null,
  };
  if (!listed) return { day: entry.day, ...submitter, submittedAt: entry.submittedAt };
  if (listed.user !== null || submitter.user === null) return null;
  return { day: listed.day, ...submitter, submittedAt: listed.submittedAt ?? entry.submittedAt };
}

/** An organization's details as the organizations row holds them. */
export interface OrganizationDetails {
  fullName: string | null;
  avatarUrl: string | null;
}

/**
 * A record's full name or avatar replaces the known one; a missing one keeps it. Returns the details as the record
 * leaves them, or null when it changes nothing.
 */
export function mergeOrganization(
  known: OrganizationDetails,
  organization: Organization,
): OrganizationDetails | null {
  const fullName = organization.fullName ?? known.fullName;
  const avatarUrl = organization.avatarUrl ?? known.avatarUrl;
  return fullName === known.fullName && avatarUrl === known.avatarUrl ? null : { fullName, avatarUrl };
}
