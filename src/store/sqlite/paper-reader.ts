import type Database from 'better-sqlite3';
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

interface JoinedRow {
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

/** Reads papers by id with their ordered authors and categories, in three queries whatever the count. */
export class PaperReader {
  private readonly statements;

  constructor(db: Database.Database) {
    this.statements = {
      papers: db.prepare<[string], JoinedRow>(
        `${PAPER_SELECT} WHERE p.id IN (SELECT value FROM json_each(?))`,
      ),
      authors: db.prepare<[string], { paper_id: string; name: string; hf_id: string | null; hidden: number }>(
        `SELECT pa.paper_id, a.name, pa.hf_id, pa.hidden FROM paper_authors pa JOIN authors a ON a.id = pa.author_id
         WHERE pa.paper_id IN (SELECT value FROM json_each(?)) ORDER BY pa.paper_id, pa.position`,
      ),
      categories: db.prepare<[string], { paper_id: string; category: string }>(
        `SELECT paper_id, category FROM paper_categories
         WHERE paper_id IN (SELECT value FROM json_each(?)) ORDER BY paper_id, position`,
      ),
    };
  }

  /** Papers for the ids, in the order given; unknown ids are left out. */
  read(ids: string[]): Paper[] {
    if (ids.length === 0) return [];
    const json = JSON.stringify(ids);
    const authors = new Map<string, Author[]>();
    for (const row of this.statements.authors.all(json)) {
      const list = authors.get(row.paper_id) ?? [];
      list.push({ name: row.name, hfId: row.hf_id, hidden: row.hidden === 1 });
      authors.set(row.paper_id, list);
    }
    const categories = new Map<string, string[]>();
    for (const row of this.statements.categories.all(json)) {
      const list = categories.get(row.paper_id) ?? [];
      list.push(row.category);
      categories.set(row.paper_id, list);
    }
    const byId = new Map<string, Paper>();
    for (const row of this.statements.papers.all(json)) {
      byId.set(row.id, toPaper(row, authors.get(row.id) ?? [], categories.get(row.id) ?? []));
    }
    return ids.flatMap((id) => byId.get(id) ?? []);
  }
}

function toPaper(row: JoinedRow, authors: Author[], categories: string[]): Paper {
  return {
    id: row.id,
    version: row.version,
    title: row.title,
    abstract: row.abstract,
    authors,
    categories,
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
