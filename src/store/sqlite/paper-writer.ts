import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Author, Organization, PaperRecord } from '../../domain/paper.ts';
import type { WriteResult } from '../store.ts';

type SqlValue = string | number | null;

/** The stored paper row, as far as imports write it. */
interface PaperRow {
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
  imported_comments: number;
  authors_hash: string;
  authors_text: string;
  categories_hash: string;
}

type Columns = Omit<PaperRow, 'id'>;
const COLUMN_NAMES = [
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
  'categories_hash',
] as const satisfies ReadonlyArray<keyof Columns>;

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
function replacesMetadata(record: PaperRecord, stored: PaperRow): boolean {
  const incomingVersion = record.version ?? 0;
  const storedVersion = stored.version ?? 0;
  if (incomingVersion !== storedVersion) return incomingVersion > storedVersion;
  return (SOURCE_RANK[record.source] ?? 0) >= (SOURCE_RANK[stored.metadata_source] ?? 0);
}

/** Upserts papers with their authors, categories, organization and listing; runs inside a caller's transaction. */
export class PaperWriter {
  private readonly authorIds = new Map<string, number>();
  private readonly organizations = new Map<
    string,
    { id: number; fullName: string | null; avatarUrl: string | null }
  >();
  private readonly statements;

  constructor(db: Database.Database) {
    const placeholders = COLUMN_NAMES.map((name) => `@${name}`).join(', ');
    this.statements = {
      selectPaper: db.prepare<[string], PaperRow>(
        `SELECT id, ${COLUMN_NAMES.join(', ')} FROM papers WHERE id = ?`,
      ),
      insertPaper: db.prepare(
        `INSERT INTO papers (id, ${COLUMN_NAMES.join(', ')}) VALUES (@id, ${placeholders})`,
      ),
      updatePaper: db.prepare(
        `UPDATE papers SET ${COLUMN_NAMES.map((name) => `${name} = @${name}`).join(', ')},
           changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = @id`,
      ),
      selectAuthor: db.prepare<[string], number>('SELECT id FROM authors WHERE name = ?').pluck(),
      insertAuthor: db.prepare('INSERT INTO authors (name) VALUES (?)'),
      deletePaperAuthors: db.prepare('DELETE FROM paper_authors WHERE paper_id = ?'),
      insertPaperAuthor: db.prepare(
        'INSERT INTO paper_authors (paper_id, position, author_id, hf_id, hidden) VALUES (?, ?, ?, ?, ?)',
      ),
      deleteCategories: db.prepare('DELETE FROM paper_categories WHERE paper_id = ?'),
      insertCategory: db.prepare(
        'INSERT INTO paper_categories (paper_id, position, category) VALUES (?, ?, ?)',
      ),
      selectOrganization: db.prepare<
        [string],
        { id: number; full_name: string | null; avatar_url: string | null }
      >('SELECT id, full_name, avatar_url FROM organizations WHERE name = ?'),
      insertOrganization: db.prepare(
        'INSERT INTO organizations (name, full_name, avatar_url) VALUES (?, ?, ?)',
      ),
      updateOrganization: db.prepare('UPDATE organizations SET full_name = ?, avatar_url = ? WHERE id = ?'),
      selectDaily: db.prepare<[string], { submitted_by_user: string | null }>(
        'SELECT submitted_by_user FROM daily_entries WHERE paper_id = ?',
      ),
      insertDaily: db.prepare(
        `INSERT INTO daily_entries (paper_id, day, position, submitted_by_user, submitted_by_fullname, submitted_by_avatar, submitted_at)
         VALUES (@paperId, @day, (SELECT COALESCE(MAX(position), 0) + 1 FROM daily_entries WHERE day = @day),
                 @user, @fullname, @avatar, @submittedAt)`,
      ),
      snapshotStars: db.prepare(
        `INSERT OR REPLACE INTO github_star_snapshots (paper_id, observed_at, stars)
         VALUES (?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?)`,
      ),
      fillDailySubmitter: db.prepare(
        `UPDATE daily_entries SET submitted_by_user = @user, submitted_by_fullname = @fullname,
           submitted_by_avatar = @avatar, submitted_at = COALESCE(submitted_at, @submittedAt) WHERE paper_id = @paperId`,
      ),
    };
  }

  /** Forgets cached ids: call after a rollback, which may have undone the rows they point at. */
  forgetCachedIds(): void {
    this.authorIds.clear();
    this.organizations.clear();
  }

  write(records: PaperRecord[]): WriteResult {
    const result: WriteResult = { inserted: 0, updated: 0, unchanged: 0 };
    for (const record of records) {
      const outcome = this.writeOne(record);
      result[outcome]++;
    }
    return result;
  }

  private writeOne(record: PaperRecord): keyof WriteResult {
    const stored = this.statements.selectPaper.get(record.id);
    const organizationId =
      record.organization === undefined
        ? undefined
        : record.organization === null
          ? null
          : this.organizationId(record.organization);
    const authorsHash = hash(record.authors);
    const categoriesHash = record.categories === undefined ? undefined : hash(record.categories);

    if (!stored) {
      const columns = this.merge(record, null, organizationId, authorsHash, categoriesHash);
      this.statements.insertPaper.run({ id: record.id, ...columns });
      this.replaceAuthors(record.id, record.authors);
      if (record.categories) this.replaceCategories(record.id, record.categories);
      if (columns.github_stars !== null) this.statements.snapshotStars.run(record.id, columns.github_stars);
      this.writeDaily(record);
      return 'inserted';
    }

    const columns = this.merge(record, stored, organizationId, authorsHash, categoriesHash);
    const rowChanged = COLUMN_NAMES.some((name) => columns[name] !== stored[name]);
    if (rowChanged) this.statements.updatePaper.run({ id: record.id, ...columns });
    // Star history feeds trending's "stars gained lately".
    if (columns.github_stars !== stored.github_stars && columns.github_stars !== null) {
      this.statements.snapshotStars.run(record.id, columns.github_stars);
    }
    if (columns.authors_hash !== stored.authors_hash) this.replaceAuthors(record.id, record.authors);
    if (columns.categories_hash !== stored.categories_hash && record.categories) {
      this.replaceCategories(record.id, record.categories);
    }
    const dailyChanged = this.writeDaily(record);
    return rowChanged || dailyChanged ? 'updated' : 'unchanged';
  }

  private merge(
    record: PaperRecord,
    stored: PaperRow | null,
    organizationId: number | null | undefined,
    authorsHash: string,
    categoriesHash: string | undefined,
  ): Columns {
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
      authors_hash: meta(authorsHash, stored?.authors_hash, EMPTY_LIST_HASH),
      // Denormalized for the keyword index's author column.
      authors_text: meta(record.authors.map((author) => author.name).join(', '), stored?.authors_text, ''),
      categories_hash: meta(categoriesHash, stored?.categories_hash, EMPTY_LIST_HASH),
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
    };
  }

  private replaceAuthors(paperId: string, authors: Author[]): void {
    this.statements.deletePaperAuthors.run(paperId);
    authors.forEach((author, position) => {
      this.statements.insertPaperAuthor.run(
        paperId,
        position,
        this.authorId(author.name),
        author.hfId,
        author.hidden ? 1 : 0,
      );
    });
  }

  private replaceCategories(paperId: string, categories: string[]): void {
    this.statements.deleteCategories.run(paperId);
    categories.forEach((category, position) => {
      this.statements.insertCategory.run(paperId, position, category);
    });
  }

  private authorId(name: string): number {
    let id = this.authorIds.get(name);
    if (id === undefined) {
      id =
        this.statements.selectAuthor.get(name) ??
        Number(this.statements.insertAuthor.run(name).lastInsertRowid);
      if (this.authorIds.size > 500_000) this.authorIds.clear();
      this.authorIds.set(name, id);
    }
    return id;
  }

  private organizationId(organization: Organization): number {
    let known = this.organizations.get(organization.name);
    if (!known) {
      const row = this.statements.selectOrganization.get(organization.name);
      known = row
        ? { id: row.id, fullName: row.full_name, avatarUrl: row.avatar_url }
        : {
            id: Number(
              this.statements.insertOrganization.run(
                organization.name,
                organization.fullName,
                organization.avatarUrl,
              ).lastInsertRowid,
            ),
            fullName: organization.fullName,
            avatarUrl: organization.avatarUrl,
          };
      this.organizations.set(organization.name, known);
    }
    const fullName = organization.fullName ?? known.fullName;
    const avatarUrl = organization.avatarUrl ?? known.avatarUrl;
    if (fullName !== known.fullName || avatarUrl !== known.avatarUrl) {
      this.statements.updateOrganization.run(fullName, avatarUrl, known.id);
      known.fullName = fullName;
      known.avatarUrl = avatarUrl;
    }
    return known.id;
  }

  /** Lists the paper on its day unless it already is on one (the first listing wins); true when something changed. */
  private writeDaily(record: PaperRecord): boolean {
    const daily = record.daily;
    if (!daily) return false;
    const submitter = {
      paperId: record.id,
      user: daily.submittedBy?.user ?? null,
      fullname: daily.submittedBy?.fullname ?? null,
      avatar: daily.submittedBy?.avatarUrl ?? null,
      submittedAt: daily.submittedAt,
    };
    const existing = this.statements.selectDaily.get(record.id);
    if (!existing) {
      this.statements.insertDaily.run({ ...submitter, day: daily.day });
      return true;
    }
    if (existing.submitted_by_user === null && submitter.user !== null) {
      this.statements.fillDailySubmitter.run(submitter);
      return true;
    }
    return false;
  }
}
