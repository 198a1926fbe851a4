import type pg from 'pg';
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
import { toNumber } from './sql.ts';
import { inTransaction } from './transaction.ts';

const SAVES = `SELECT paper_id, string_agg(tag, '${Rows.TAG_SEPARATOR}') AS tags, MIN(saved_at) AS saved_at
  FROM library_tags WHERE member_id = $1`;
const COLLECTIONS = `SELECT ${Rows.COLLECTION_COLUMNS} FROM collections c JOIN users u ON u.id = c.member_id`;

/** Serializes one member's library writes (a save's first time, a slug's uniqueness check). */
const memberLock = (client: pg.ClientBase, memberId: number) =>
  client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`dailypapers:library:${memberId}`]);

export class PostgresLibrary implements LibraryRepository {
  constructor(private readonly pool: pg.Pool) {}

  private async rows<T extends pg.QueryResultRow>(sql: string, params: unknown[]): Promise<T[]> {
    return (await this.pool.query<T>(sql, params)).rows;
  }

  save(memberId: number, paperId: string, tags: string[], now: string): Promise<SavedPaper> {
    return inTransaction(this.pool, async (client) => {
      const paper = await client.query('SELECT 1 FROM papers WHERE id = $1 FOR KEY SHARE', [paperId]);
      if (paper.rowCount === 0) throw new NotFoundError(`paper ${paperId}`);
      await memberLock(client, memberId);
      await client.query(
        `INSERT INTO library_tags (member_id, paper_id, tag, saved_at)
         SELECT $1, $2, tag, COALESCE(
           (SELECT MIN(saved_at) FROM library_tags WHERE member_id = $1 AND paper_id = $2), $4)
         FROM unnest($3::text[]) AS tag
         ON CONFLICT DO NOTHING`,
        [memberId, paperId, tags, now],
      );
      const { rows } = await client.query<Rows.SaveRow>(`${SAVES} AND paper_id = $2 GROUP BY paper_id`, [
        memberId,
        paperId,
      ]);
      return Rows.toSavedPaper(rows[0] as Rows.SaveRow);
    });
  }

  async untag(memberId: number, paperId: string, tag: string): Promise<boolean> {
    const result = await this.pool.query(
      'DELETE FROM library_tags WHERE member_id = $1 AND paper_id = $2 AND tag = $3',
      [memberId, paperId, tag],
    );
    return result.rowCount === 1;
  }

  async remove(memberId: number, paperId: string): Promise<boolean> {
    const result = await this.pool.query('DELETE FROM library_tags WHERE member_id = $1 AND paper_id = $2', [
      memberId,
      paperId,
    ]);
    return (result.rowCount ?? 0) > 0;
  }

  async tagsOf(memberId: number, paperIds: string[]): Promise<Map<string, string[]>> {
    if (paperIds.length === 0) return new Map();
    const rows = await this.rows<{ paper_id: string; tag: string }>(
      'SELECT paper_id, tag FROM library_tags WHERE member_id = $1 AND paper_id = ANY($2::text[]) ORDER BY tag',
      [memberId, paperIds],
    );
    return Rows.groupTags(rows);
  }

  async list(memberId: number, options: SaveListOptions): Promise<SavedPaper[]> {
    const rows =
      options.tag === undefined
        ? await this.rows<Rows.SaveRow>(
            `${SAVES} GROUP BY paper_id ORDER BY MIN(saved_at) DESC, paper_id COLLATE "C" LIMIT $2 OFFSET $3`,
            [memberId, options.limit, options.offset],
          )
        : await this.rows<Rows.SaveRow>(
            `${SAVES} AND paper_id IN (SELECT paper_id FROM library_tags WHERE member_id = $1 AND tag = $2)
             GROUP BY paper_id ORDER BY MIN(saved_at) DESC, paper_id COLLATE "C" LIMIT $3 OFFSET $4`,
            [memberId, options.tag, options.limit, options.offset],
          );
    return rows.map(Rows.toSavedPaper);
  }

  async countSaves(memberId: number, tag?: string): Promise<number> {
    const rows =
      tag === undefined
        ? await this.rows<{ n: string }>(
            'SELECT COUNT(DISTINCT paper_id) AS n FROM library_tags WHERE member_id = $1',
            [memberId],
          )
        : await this.rows<{ n: string }>(
            'SELECT COUNT(*) AS n FROM library_tags WHERE member_id = $1 AND tag = $2',
            [memberId, tag],
          );
    return toNumber(rows[0]?.n);
  }

  async tags(memberId: number): Promise<TagSummary[]> {
    const [counts, collections] = await Promise.all([
      this.rows<{ tag: string; papers: string }>(
        'SELECT tag, COUNT(*) AS papers FROM library_tags WHERE member_id = $1 GROUP BY tag ORDER BY tag',
        [memberId],
      ),
      this.collections(memberId),
    ]);
    return Rows.tagSummaries(counts, collections);
  }

  setCollection(memberId: number, collection: CollectionSetting, now: string): Promise<Collection> {
    const { tag, visibility, ...text } = collection;
    return inTransaction(this.pool, async (client) => {
      await memberLock(client, memberId);
      const used = await client.query(
        'SELECT 1 FROM library_tags WHERE member_id = $1 AND tag = $2 LIMIT 1',
        [memberId, tag],
      );
      if (used.rowCount === 0) throw new NotFoundError(`tag “${tag}”`);
      const owner = await client.query<{ tag: string }>(
        'SELECT tag FROM collections WHERE member_id = $1 AND slug = $2',
        [memberId, text.slug],
      );
      if (owner.rows[0] && owner.rows[0].tag !== tag) throw new DuplicateSlugError(text.slug);
      await client.query(
        `INSERT INTO collections (member_id, tag, slug, title, description, visibility, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
         ON CONFLICT (member_id, tag) DO UPDATE SET slug = excluded.slug, title = excluded.title,
           description = excluded.description, visibility = excluded.visibility, updated_at = excluded.updated_at`,
        [memberId, tag, text.slug, text.title, text.description, visibility, now],
      );
      const { rows } = await client.query<Rows.CollectionRow>(
        `${COLLECTIONS} WHERE c.member_id = $1 AND c.tag = $2`,
        [memberId, tag],
      );
      return Rows.toCollection(rows[0] as Rows.CollectionRow);
    });
  }

  async findCollection(owner: string, slug: string): Promise<Collection | null> {
    const rows = await this.rows<Rows.CollectionRow>(
      `${COLLECTIONS} WHERE lower(u.username) = lower($1) AND c.slug = $2`,
      [owner, slug],
    );
    return rows[0] ? Rows.toCollection(rows[0]) : null;
  }

  async collections(memberId: number): Promise<Collection[]> {
    const rows = await this.rows<Rows.CollectionRow>(
      `${COLLECTIONS} WHERE c.member_id = $1 ORDER BY c.title COLLATE "C", c.slug`,
      [memberId],
    );
    return rows.map(Rows.toCollection);
  }

  async markNotInterested(memberId: number, paperId: string, now: string): Promise<void> {
    const result = await this.pool.query(
      `INSERT INTO not_interested (member_id, paper_id, created_at)
       SELECT $1, id, $3 FROM papers WHERE id = $2 ON CONFLICT DO NOTHING`,
      [memberId, paperId, now],
    );
    if (result.rowCount === 0) {
      const paper = await this.pool.query('SELECT 1 FROM papers WHERE id = $1', [paperId]);
      if (paper.rowCount === 0) throw new NotFoundError(`paper ${paperId}`);
    }
  }

  async unmarkNotInterested(memberId: number, paperId: string): Promise<boolean> {
    const result = await this.pool.query(
      'DELETE FROM not_interested WHERE member_id = $1 AND paper_id = $2',
      [memberId, paperId],
    );
    return result.rowCount === 1;
  }

  async notInterested(memberId: number, limit: number): Promise<Array<{ paperId: string; at: string }>> {
    const rows = await this.rows<{ paper_id: string; created_at: string }>(
      `SELECT paper_id, created_at FROM not_interested WHERE member_id = $1
       ORDER BY created_at DESC, paper_id COLLATE "C" LIMIT $2`,
      [memberId, limit],
    );
    return rows.map((row) => ({ paperId: row.paper_id, at: row.created_at }));
  }

  async feedTokenNonce(memberId: number): Promise<string | null> {
    const rows = await this.rows<{ nonce: string }>(
      'SELECT nonce FROM personal_feed_tokens WHERE member_id = $1',
      [memberId],
    );
    return rows[0]?.nonce ?? null;
  }

  async setFeedTokenNonce(memberId: number, nonce: string | null, now: string): Promise<void> {
    if (nonce === null) {
      await this.pool.query('DELETE FROM personal_feed_tokens WHERE member_id = $1', [memberId]);
      return;
    }
    await this.pool.query(
      `INSERT INTO personal_feed_tokens (member_id, nonce, created_at) VALUES ($1, $2, $3)
       ON CONFLICT (member_id) DO UPDATE SET nonce = excluded.nonce, created_at = excluded.created_at`,
      [memberId, nonce, now],
    );
  }

  forget(memberId: number): Promise<void> {
    return inTransaction(this.pool, async (client) => {
      for (const table of Rows.LIBRARY_TABLES)
        await client.query(`DELETE FROM ${table} WHERE member_id = $1`, [memberId]);
    });
  }

  async personalDigests(subscriptionIds: number[]): Promise<Set<number>> {
    if (subscriptionIds.length === 0) return new Set();
    const rows = await this.rows<{ subscription_id: number }>(
      'SELECT subscription_id FROM personal_digests WHERE subscription_id = ANY($1::int[])',
      [subscriptionIds],
    );
    return new Set(rows.map((row) => Number(row.subscription_id)));
  }

  async replacedDigest(subscriptionId: number): Promise<DigestFrequency | null> {
    const { rows } = await this.pool.query<{ replaced_frequency: string | null }>(
      'SELECT replaced_frequency FROM personal_digests WHERE subscription_id = $1',
      [subscriptionId],
    );
    const frequency = rows[0]?.replaced_frequency;
    return isDigestFrequency(frequency) ? frequency : null;
  }

  async setPersonalDigest(
    subscriptionId: number,
    personal: boolean,
    now: string,
    replaced: DigestFrequency | null = null,
  ): Promise<void> {
    if (personal)
      await this.pool.query(
        `INSERT INTO personal_digests (subscription_id, created_at, replaced_frequency) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING`,
        [subscriptionId, now, replaced],
      );
    else await this.pool.query('DELETE FROM personal_digests WHERE subscription_id = $1', [subscriptionId]);
  }
}
