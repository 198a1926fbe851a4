import { arxivAbsUrl, arxivPdfUrl } from '../domain/arxiv-id.ts';
import type { Author, HfExtra, Paper } from '../domain/paper.ts';

/** Columns a paper's stamp (`PaperStamp`) is read with. */
export const STAMP_COLUMNS = `p.id, p.imported_upvotes + p.member_upvotes AS upvotes, p.member_comments AS "numComments",
  p.changed_at AS "changedAt"`;

/** Columns of a `PaperLink`, from `papers p` and its daily entry `d`: none past the title that a page of the row holds. */
export const LINK_COLUMNS = `p.id, p.title, d.day, p.published_at AS "publishedAt",
  p.imported_upvotes + p.member_upvotes AS upvotes`;

/** The ids' papers in the order of the ids, those found. */
export const inOrderOf = <T extends { id: string }>(ids: string[], rows: T[]): T[] => {
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => byId.get(id) ?? []);
};

/** Columns a listed or fetched paper is read with; `d.` is its daily entry, `o.` its organization. */
export const PAPER_COLUMNS = `p.id, p.version, p.title, p.abstract, p.published_at, p.updated_at, p.comment, p.journal_ref,
  p.doi, p.license, p.pdf_url, p.github_repo, p.github_stars, p.project_page, p.thumbnail, p.ai_summary, p.ai_keywords,
  p.imported_upvotes, p.member_upvotes, p.imported_comments, p.member_comments, p.hidden, p.authors_json,
  o.name AS org_name, o.full_name AS org_full_name, o.avatar_url AS org_avatar_url,
  d.day, d.submitted_by_user, d.submitted_by_fullname, d.submitted_by_avatar, d.submitted_at`;

/** PAPER_COLUMNS from papers `p` with their organization and daily entry. */
export const PAPER_SELECT = `
  SELECT ${PAPER_COLUMNS}
  FROM papers p
  LEFT JOIN organizations o ON o.id = p.organization_id
  LEFT JOIN daily_entries d ON d.paper_id = p.id`;

/** A row of the papers table as the store reads and writes it (doc_id and the timestamps stay in SQL). */
export interface PapersRow {
  id: string;
  version: number | null;
  metadata_source: string;
  title: string;
  abstract: string;
  published_at: string | null;
  updated_at: string | null;
  comment: string | null;
  journal_ref: string | null;
  doi: string | null;
  license: string | null;
  pdf_url: string | null;
  github_repo: string | null;
  github_stars: number | null;
  project_page: string | null;
  thumbnail: string | null;
  organization_id: number | null;
  ai_summary: string | null;
  ai_keywords: string | null;
  imported_upvotes: number;
  member_upvotes: number;
  imported_comments: number;
  member_comments: number;
  hidden: number;
  authors_hash: string;
  authors_text: string;
  /** The ordered authors as `[name, hf_id, hidden]` triples (`authorsJson`), beside paper_authors for reading. */
  authors_json: string;
  categories_hash: string;
  /** HfExtra as JSON text. */
  hf_extra: string | null;
}

/**
 * A row of PAPER_SELECT as an array in PAPER_COLUMNS' order (better-sqlite3's `raw()`, node-postgres' `rowMode:
 * 'array'`): a row of 31 columns costs about a third less to read so than as an object with a property for each.
 */
export type PaperSelectRow = [
  id: string,
  version: number | null,
  title: string,
  abstract: string,
  publishedAt: string | null,
  updatedAt: string | null,
  comment: string | null,
  journalRef: string | null,
  doi: string | null,
  license: string | null,
  pdfUrl: string | null,
  githubRepo: string | null,
  githubStars: number | null,
  projectPage: string | null,
  thumbnail: string | null,
  aiSummary: string | null,
  aiKeywords: string | null,
  importedUpvotes: number,
  memberUpvotes: number,
  importedComments: number,
  memberComments: number,
  hidden: number,
  authorsJson: string,
  orgName: string | null,
  orgFullName: string | null,
  orgAvatarUrl: string | null,
  day: string | null,
  submittedByUser: string | null,
  submittedByFullname: string | null,
  submittedByAvatar: string | null,
  submittedAt: string | null,
];

/** The authors_json column: a paper's authors in order, so that reading a paper needs no join per author. */
export const authorsJson = (authors: Author[]): string =>
  JSON.stringify(authors.map((author) => [author.name, author.hfId ?? null, author.hidden ? 1 : 0]));

function parseAuthors(json: string): Author[] {
  return (JSON.parse(json) as Array<[string, string | null, number]>).map(([name, hfId, hidden]) => ({
    name,
    hfId,
    hidden: hidden === 1,
  }));
}

/** HfExtra read by id (`hfExtras`), from its JSON text. */
export function hfExtrasOf(rows: Array<{ id: string; hf_extra: string }>): Map<string, HfExtra> {
  return new Map(rows.map((row) => [row.id, JSON.parse(row.hf_extra) as HfExtra]));
}

/** The paper of a PAPER_SELECT row (columns after PAPER_COLUMNS' are left alone). */
export function toPaper(row: readonly [...PaperSelectRow, ...unknown[]], categories: string[]): Paper {
  const [
    id,
    version,
    title,
    abstract,
    publishedAt,
    updatedAt,
    comment,
    journalRef,
    doi,
    license,
    pdfUrl,
    githubRepo,
    githubStars,
    projectPage,
    thumbnail,
    aiSummary,
    aiKeywords,
    importedUpvotes,
    memberUpvotes,
    importedComments,
    memberComments,
    hidden,
    authorsJson,
    orgName,
    orgFullName,
    orgAvatarUrl,
    day,
    submittedByUser,
    submittedByFullname,
    submittedByAvatar,
    submittedAt,
  ] = row;
  return {
    id,
    version,
    title,
    abstract,
    authors: parseAuthors(authorsJson),
    categories,
    publishedAt,
    updatedAt,
    comment,
    journalRef,
    doi,
    license,
    absUrl: arxivAbsUrl(id),
    pdfUrl: pdfUrl ?? arxivPdfUrl(id),
    githubRepo,
    githubStars,
    projectPage,
    thumbnail,
    organization: orgName ? { name: orgName, fullName: orgFullName, avatarUrl: orgAvatarUrl } : null,
    aiSummary,
    aiKeywords: aiKeywords ? (JSON.parse(aiKeywords) as string[]) : [],
    upvotes: importedUpvotes + memberUpvotes,
    numComments: memberComments,
    importedComments,
    daily: day
      ? {
          day,
          submittedBy: submittedByUser
            ? { user: submittedByUser, fullname: submittedByFullname, avatarUrl: submittedByAvatar }
            : null,
          submittedAt,
        }
      : null,
    hidden: hidden === 1,
  };
}
