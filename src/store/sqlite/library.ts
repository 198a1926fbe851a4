import type { Collection, SavedPaper, TagSummary } from '../../domain/library.ts';
import { type DigestFrequency, isDigestFrequency } from '../../domain/subscription.ts';
import {
  type CollectionSetting,
  DuplicateSlugError,
  type LibraryRepository,
  type SaveListOptions,
} from '../library.ts';
import * as Rows from '../personal-rows.ts';
import { NotFoundError } from '../store.ts';
import { SqliteRepository } from './repository.ts';

const SAVES = `SELECT paper_id, group_concat(tag, '${Rows.TAG_SEPARATOR}') AS tags, MIN(saved_at) AS saved_at
  FROM library_tags WHERE member_id = ?`;

export class SqliteLibrary extends SqliteRepository implements LibraryRepository {
  private readonly statements = {
    paperExists: this.db.prepare<[string], number>('SELECT 1 FROM papers WHERE id = ?').pluck(),
    savedAt: this.db
      .prepare<[number, string], string | null>(
        'SELECT MIN(saved_at) FROM library_tags WHERE member_id = ? AND paper_id = ?',
      )
      .pluck(),
    addTag: this.db.prepare(
      `INSERT INTO library_tags (member_id, paper_id, tag, saved_at) VALUES (?, ?, ?, ?)
         ON CONFLICT DO NOTHING`,
    ),
    untag: this.db.prepare('DELETE FROM library_tags WHERE member_id = ? AND paper_id = ? AND tag = ?'),
    remove: this.db.prepare('DELETE FROM library_tags WHERE member_id = ? AND paper_id = ?'),
    save: this.db.prepare<[number, string], Rows.SaveRow>(`${SAVES} AND paper_id = ? GROUP BY paper_id`),
    list: this.db.prepare<[number, number, number], Rows.SaveRow>(
      `${SAVES} GROUP BY paper_id ORDER BY MIN(saved_at) DESC, paper_id LIMIT ? OFFSET ?`,
    ),
    listTag: this.db.prepare<[number, number, string, number, number], Rows.SaveRow>(
      `${SAVES} AND paper_id IN (SELECT paper_id FROM library_tags WHERE member_id = ? AND tag = ?)
         GROUP BY paper_id ORDER BY MIN(saved_at) DESC, paper_id LIMIT ? OFFSET ?`,
    ),
    countAll: this.db
      .prepare<[number], number>('SELECT COUNT(DISTINCT paper_id) FROM library_tags WHERE member_id = ?')
      .pluck(),
    countTag: this.db
      .prepare<[number, string], number>('SELECT COUNT(*) FROM library_tags WHERE member_id = ? AND tag = ?')
      .pluck(),
    tagCounts: this.db.prepare<[number], { tag: string; papers: number }>(
      'SELECT tag, COUNT(*) AS papers FROM library_tags WHERE member_id = ? GROUP BY tag ORDER BY tag',
    ),
    collections: this.db.prepare<[number], Rows.CollectionRow>(
      `SELECT ${Rows.COLLECTION_COLUMNS} FROM collections c JOIN users u ON u.id = c.member_id
         WHERE c.member_id = ? ORDER BY c.title, c.slug`,
    ),
    collectionOfTag: this.db.prepare<[number, string], Rows.CollectionRow>(
      `SELECT ${Rows.COLLECTION_COLUMNS} FROM collections c JOIN users u ON u.id = c.member_id
         WHERE c.member_id = ? AND c.tag = ?`,
    ),
    findCollection: this.db.prepare<[string, string], Rows.CollectionRow>(
      `SELECT ${Rows.COLLECTION_COLUMNS} FROM collections c JOIN users u ON u.id = c.member_id
         WHERE u.username = ? COLLATE NOCASE AND c.slug = ?`,
    ),
    slugOwner: this.db
      .prepare<[number, string], string>('SELECT tag FROM collections WHERE member_id = ? AND slug = ?')
      .pluck(),
    upsertCollection: this.db.prepare(
      `INSERT INTO collections (member_id, tag, slug, title, description, visibility, created_at, updated_at)
         VALUES (@memberId, @tag, @slug, @title, @description, @visibility, @now, @now)
         ON CONFLICT (member_id, tag) DO UPDATE SET slug = excluded.slug, title = excluded.title,
           description = excluded.description, visibility = excluded.visibility, updated_at = excluded.updated_at`,
    ),
    markNotInterested: this.db.prepare(
      'INSERT INTO not_interested (member_id, paper_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
    ),
    unmarkNotInterested: this.db.prepare('DELETE FROM not_interested WHERE member_id = ? AND paper_id = ?'),
    notInterested: this.db.prepare<[number, number], { paper_id: string; created_at: string }>(
      `SELECT paper_id, created_at FROM not_interested WHERE member_id = ?
         ORDER BY created_at DESC, paper_id LIMIT ?`,
    ),
    feedToken: this.db
      .prepare<[number], string>('SELECT nonce FROM personal_feed_tokens WHERE member_id = ?')
      .pluck(),
    putFeedToken: this.db.prepare(
      `INSERT INTO personal_feed_tokens (member_id, nonce, created_at) VALUES (?, ?, ?)
         ON CONFLICT (member_id) DO UPDATE SET nonce = excluded.nonce, created_at = excluded.created_at`,
    ),
    dropFeedToken: this.db.prepare('DELETE FROM personal_feed_tokens WHERE member_id = ?'),
  };

  /** One write transaction, taken with the write lock first (BEGIN IMMEDIATE), retried while busy. */
  private transaction<T>(work: () => T): Promise<T> {
    const transaction = this.db.transaction(work);
    return this.write(() => transaction.immediate());
  }

  private requirePaper(paperId: string): void {
    if (this.statements.paperExists.get(paperId) !== 1) throw new NotFoundError(`paper ${paperId}`);
  }

  save(memberId: number, paperId: string, tags: string[], now: string): Promise<SavedPaper> {
    return this.transaction(() => {
      this.requirePaper(paperId);
      const savedAt = this.statements.savedAt.get(memberId, paperId) ?? now;
      for (const tag of tags) this.statements.addTag.run(memberId, paperId, tag, savedAt);
      return Rows.toSavedPaper(this.statements.save.get(memberId, paperId) as Rows.SaveRow);
    });
  }

  untag(memberId: number, paperId: string, tag: string): Promise<boolean> {
    return this.write(() => this.statements.untag.run(memberId, paperId, tag).changes === 1);
  }

  remove(memberId: number, paperId: string): Promise<boolean> {
    return this.write(() => this.statements.remove.run(memberId, paperId).changes > 0);
  }

  async tagsOf(memberId: number, paperIds: string[]): Promise<Map<string, string[]>> {
    if (paperIds.length === 0) return new Map();
    const rows = this.db
      .prepare<unknown[], { paper_id: string; tag: string }>(
        `SELECT paper_id, tag FROM library_tags WHERE member_id = ?
         AND paper_id IN (SELECT value FROM json_each(?)) ORDER BY tag`,
      )
      .all(memberId, JSON.stringify(paperIds));
    return Rows.groupTags(rows);
  }

  async list(memberId: number, options: SaveListOptions): Promise<SavedPaper[]> {
    const rows =
      options.tag === undefined
        ? this.statements.list.all(memberId, options.limit, options.offset)
        : this.statements.listTag.all(memberId, memberId, options.tag, options.limit, options.offset);
    return rows.map(Rows.toSavedPaper);
  }

  async countSaves(memberId: number, tag?: string): Promise<number> {
    return (
      (tag === undefined
        ? this.statements.countAll.get(memberId)
        : this.statements.countTag.get(memberId, tag)) ?? 0
    );
  }

  async tags(memberId: number): Promise<TagSummary[]> {
    return Rows.tagSummaries(this.statements.tagCounts.all(memberId), await this.collections(memberId));
  }

  setCollection(memberId: number, collection: CollectionSetting, now: string): Promise<Collection> {
    const { tag, visibility, ...text } = collection;
    return this.transaction(() => {
      if (this.statements.countTag.get(memberId, tag) === 0) throw new NotFoundError(`tag “${tag}”`);
      const owner = this.statements.slugOwner.get(memberId, text.slug);
      if (owner !== undefined && owner !== tag) throw new DuplicateSlugError(text.slug);
      this.statements.upsertCollection.run({ memberId, tag, ...text, visibility, now });
      return Rows.toCollection(this.statements.collectionOfTag.get(memberId, tag) as Rows.CollectionRow);
    });
  }

  async findCollection(owner: string, slug: string): Promise<Collection | null> {
    const row = this.statements.findCollection.get(owner, slug);
    return row ? Rows.toCollection(row) : null;
  }

  async collections(memberId: number): Promise<Collection[]> {
    return this.statements.collections.all(memberId).map(Rows.toCollection);
  }

  markNotInterested(memberId: number, paperId: string, now: string): Promise<void> {
    return this.transaction(() => {
      this.requirePaper(paperId);
      this.statements.markNotInterested.run(memberId, paperId, now);
    });
  }

  unmarkNotInterested(memberId: number, paperId: string): Promise<boolean> {
    return this.write(() => this.statements.unmarkNotInterested.run(memberId, paperId).changes === 1);
  }

  async notInterested(memberId: number, limit: number): Promise<Array<{ paperId: string; at: string }>> {
    return this.statements.notInterested
      .all(memberId, limit)
      .map((row) => ({ paperId: row.paper_id, at: row.created_at }));
  }

  async feedTokenNonce(memberId: number): Promise<string | null> {
    return this.statements.feedToken.get(memberId) ?? null;
  }

  setFeedTokenNonce(memberId: number, nonce: string | null, now: string): Promise<void> {
    return this.write(() => {
      if (nonce === null) this.statements.dropFeedToken.run(memberId);
      else this.statements.putFeedToken.run(memberId, nonce, now);
    });
  }

  forget(memberId: number): Promise<void> {
    return this.transaction(() => {
      for (const table of Rows.LIBRARY_TABLES)
        this.db.prepare(`DELETE FROM ${table} WHERE member_id = ?`).run(memberId);
    });
  }

  async personalDigests(subscriptionIds: number[]): Promise<Set<number>> {
    if (subscriptionIds.length === 0) return new Set();
    const ids = this.db
      .prepare<[string], number>(
        'SELECT subscription_id FROM personal_digests WHERE subscription_id IN (SELECT value FROM json_each(?))',
      )
      .pluck()
      .all(JSON.stringify(subscriptionIds));
    return new Set(ids);
  }

  async replacedDigest(subscriptionId: number): Promise<DigestFrequency | null> {
    const frequency = this.db
      .prepare<[number], string | null>(
        'SELECT replaced_frequency FROM personal_digests WHERE subscription_id = ?',
      )
      .pluck()
      .get(subscriptionId);
    return isDigestFrequency(frequency) ? frequency : null;
  }

  setPersonalDigest(
    subscriptionId: number,
    personal: boolean,
    now: string,
    replaced: DigestFrequency | null = null,
  ): Promise<void> {
    return this.write(() => {
      if (personal)
        this.db
          .prepare(
            `INSERT INTO personal_digests (subscription_id, created_at, replaced_frequency) VALUES (?, ?, ?)
             ON CONFLICT DO NOTHING`,
          )
          .run(subscriptionId, now, replaced);
      else this.db.prepare('DELETE FROM personal_digests WHERE subscription_id = ?').run(subscriptionId);
    });
  }
}
