import type Database from 'better-sqlite3';
import type { Author, Organization, PaperRecord } from '../../domain/paper.ts';
import {
  hfExtraChanged,
  type Listing,
  mergeListing,
  mergeOrganization,
  mergePaper,
  PAPER_ROW_COLUMN_NAMES,
  type PaperColumns,
} from '../paper-merge.ts';
import type { WriteResult } from '../papers.ts';

/** Upserts papers with their authors, categories, organization and listing; runs inside a caller's transaction. */
export class PaperWriter {
  private readonly authorIds = new Map<string, number>();
  private readonly organizations = new Map<
    string,
    { id: number; fullName: string | null; avatarUrl: string | null }
  >();
  private readonly statements;

  constructor(db: Database.Database) {
    const placeholders = PAPER_ROW_COLUMN_NAMES.map((name) => `@${name}`).join(', ');
    this.statements = {
      selectPaper: db.prepare<[string], PaperColumns>(
        `SELECT ${PAPER_ROW_COLUMN_NAMES.map((name) => `p.${name}`).join(', ')}, x.hf_extra
         FROM papers p LEFT JOIN paper_hf_extras x ON x.paper_id = p.id WHERE p.id = ?`,
      ),
      insertPaper: db.prepare(
        `INSERT INTO papers (id, ${PAPER_ROW_COLUMN_NAMES.join(', ')}) VALUES (@id, ${placeholders})`,
      ),
      updatePaper: db.prepare(
        `UPDATE papers SET ${PAPER_ROW_COLUMN_NAMES.map((name) => `${name} = @${name}`).join(', ')},
           changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = @id`,
      ),
      putHfExtra: db.prepare<[string, string]>(
        `INSERT INTO paper_hf_extras (paper_id, hf_extra) VALUES (?, ?)
         ON CONFLICT (paper_id) DO UPDATE SET hf_extra = excluded.hf_extra`,
      ),
      deleteHfExtra: db.prepare<[string]>('DELETE FROM paper_hf_extras WHERE paper_id = ?'),
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
      selectDaily: db.prepare<[string], Listing>(
        `SELECT day, submitted_by_user AS user, submitted_by_fullname AS fullname, submitted_by_avatar AS avatar,
           submitted_at AS submittedAt FROM daily_entries WHERE paper_id = ?`,
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
    const stored = this.statements.selectPaper.get(record.id) ?? null;
    const merged = mergePaper(record, stored, (organization) => this.organizationId(organization));
    const { hf_extra: hfExtra, ...row } = merged.columns;
    if (!stored) this.statements.insertPaper.run({ id: record.id, ...row });
    else if (merged.rowChanged) this.statements.updatePaper.run({ id: record.id, ...row });
    if (hfExtraChanged(merged.columns, stored)) {
      if (hfExtra === null) this.statements.deleteHfExtra.run(record.id);
      else this.statements.putHfExtra.run(record.id, hfExtra);
    }
    if (merged.stars !== null) this.statements.snapshotStars.run(record.id, merged.stars);
    if (merged.authors) this.replaceAuthors(record.id, merged.authors);
    if (merged.categories) this.replaceCategories(record.id, merged.categories);
    const dailyChanged = this.writeDaily(record);
    if (!stored) return 'inserted';
    return merged.rowChanged || dailyChanged ? 'updated' : 'unchanged';
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
    const merged = mergeOrganization(known, organization);
    if (merged) {
      this.statements.updateOrganization.run(merged.fullName, merged.avatarUrl, known.id);
      Object.assign(known, merged);
    }
    return known.id;
  }

  /** Lists the paper on its day unless it already is on one (the first listing wins); true when something changed. */
  private writeDaily(record: PaperRecord): boolean {
    if (!record.daily) return false;
    const listed = this.statements.selectDaily.get(record.id) ?? null;
    const listing = mergeListing(listed, record.daily);
    if (!listing) return false;
    if (listed) this.statements.fillDailySubmitter.run({ paperId: record.id, ...listing });
    else this.statements.insertDaily.run({ paperId: record.id, ...listing });
    return true;
  }
}
