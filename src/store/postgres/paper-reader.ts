import type pg from 'pg';
import { arxivAbsUrl, arxivPdfUrl } from '../../domain/arxiv-id.ts';
import type { Author, Paper } from '../../domain/paper.ts';

/** Columns a listed or fetched paper is read with; `d.` is its daily entry, `o.` its organization. */
export const PAPER_SELECT = `
  SELECT p.id, p.version, p.title, p.abstract, p.published_at, p.updated_at, p.comment, p.journal_ref, p.doi,
         p.license, p.pdf_url, p.github_repo, p.github_stars, p.project_page, p.thumbnail, p.ai_summary,
         p.ai_keywords, p.imported_upvotes, p.member_upvotes, p.imported_comments, p.member_comments, p.hidden,
         o.name AS org_name, o.full_name AS org_full_name, o.avatar_url AS org_avatar_url,
         d.day, d.submitted_by_user, d.submitted_by_fullname, d.submitted_by_avatar, d.submitted_at
  FROM papers p
  LEFT JOIN organizations o ON o.id = p.organization_id
  LEFT JOIN daily_entries d ON d.paper_id = p.id`;

/** With the ordered authors ([name, hf_id, hidden] each) and categories of each paper. */
const PAPER_SELECT_WITH_LISTS = PAPER_SELECT.replace(
  'FROM papers p',
  `, (SELECT json_agg(json_build_array(a.name, pa.hf_id, pa.hidden) ORDER BY pa.position)
      FROM paper_authors pa JOIN authors a ON a.id = pa.author_id WHERE pa.paper_id = p.id) AS authors,
    ARRAY(SELECT c.category FROM paper_categories c WHERE c.paper_id = p.id ORDER BY c.position) AS categories
  FROM papers p`,
);

interface JoinedRow {
  authors: Array<[string, string | null, number]> | null;
  categories: string[];
  id: string;
  version: number | null;
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
  ai_summary: string | null;
  ai_keywords: string | null;
  imported_upvotes: number;
  member_upvotes: number;
  imported_comments: number;
  member_comments: number;
  hidden: number;
  org_name: string | null;
  org_full_name: string | null;
  org_avatar_url: string | null;
  day: string | null;
  submitted_by_user: string | null;
  submitted_by_fullname: string | null;
  submitted_by_avatar: string | null;
  submitted_at: string | null;
}

/** Reads papers by id with their ordered authors and categories: one query (and one snapshot) whatever the count. */
export class PaperReader {
  constructor(private readonly pool: pg.Pool) {}

  /** Papers for the ids, in the order given; unknown ids are left out. */
  async read(ids: string[]): Promise<Paper[]> {
    if (ids.length === 0) return [];
    const result = await this.pool.query<JoinedRow>(
      `${PAPER_SELECT_WITH_LISTS} WHERE p.id = ANY($1::text[])`,
      [[...new Set(ids)]],
    );
    const byId = new Map(result.rows.map((row) => [row.id, toPaper(row)]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }
}

function toPaper(row: JoinedRow): Paper {
  const authors: Author[] = (row.authors ?? []).map(([name, hfId, hidden]) => ({
    name,
    hfId,
    hidden: hidden === 1,
  }));
  return {
    id: row.id,
    version: row.version,
    title: row.title,
    abstract: row.abstract,
    authors,
    categories: row.categories,
    publishedAt: row.published_at,
    updatedAt: row.updated_at,
    comment: row.comment,
    journalRef: row.journal_ref,
    doi: row.doi,
    license: row.license,
    absUrl: arxivAbsUrl(row.id),
    pdfUrl: row.pdf_url ?? arxivPdfUrl(row.id),
    githubRepo: row.github_repo,
    githubStars: row.github_stars,
    projectPage: row.project_page,
    thumbnail: row.thumbnail,
    organization: row.org_name
      ? { name: row.org_name, fullName: row.org_full_name, avatarUrl: row.org_avatar_url }
      : null,
    aiSummary: row.ai_summary,
    aiKeywords: row.ai_keywords ? (JSON.parse(row.ai_keywords) as string[]) : [],
    upvotes: row.imported_upvotes + row.member_upvotes,
    numComments: row.imported_comments + row.member_comments,
    daily: row.day
      ? {
          day: row.day,
          submittedBy: row.submitted_by_user
            ? {
                user: row.submitted_by_user,
                fullname: row.submitted_by_fullname,
                avatarUrl: row.submitted_by_avatar,
              }
            : null,
          submittedAt: row.submitted_at,
        }
      : null,
    hidden: row.hidden === 1,
  };
}
