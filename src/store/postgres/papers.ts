import type pg from 'pg';
import type { HfExtra, Paper, PaperRecord } from '../../domain/paper.ts';
import type { SearchQuery } from '../../domain/search-query.ts';
import { CostlySearchGate, isCostlySearch } from '../costly-search.ts';
import { isUnfiltered, paperFilterSql } from '../paper-filter-sql.ts';
import { STAMP_COLUMNS } from '../paper-rows.ts';
import type * as Papers from '../papers.ts';
import { NotFoundError } from '../store.ts';
import { StoreBusyError } from '../store-busy-error.ts';
import { dataVersion } from './data-version.ts';
import { KeywordSearch } from './keyword-search.ts';
import { PaperReader } from './paper-reader.ts';
import { PaperWriter, WriteSession } from './paper-writer.ts';
import { SearchVectorPrefetch } from './search-vector-prefetch.ts';
import { inTransaction } from './transaction.ts';

/**
 * As SQLite sorts: NULL lowest (so last when descending), text bytewise. The newest order matches the indexes
 * of migration 006.
 */
const ORDER_BY = {
  upvotes:
    '(p.imported_upvotes + p.member_upvotes) DESC, d.day DESC NULLS LAST, d.position ASC NULLS FIRST, p.published_at COLLATE "C" DESC NULLS LAST',
  newest:
    'd.day DESC NULLS LAST, d.position ASC NULLS FIRST, p.published_at COLLATE "C" DESC NULLS LAST, p.id COLLATE "C" DESC',
} as const;
const UNLISTED_ORDER = 'p.published_at COLLATE "C" DESC NULLS LAST, p.id COLLATE "C" DESC';

const postgresPlaceholder = (position: number) => `$${position}`;

/** Papers, imports, lists and keyword search on PostgreSQL. */
export class PostgresPapers implements Papers.PaperStore {
  private readonly writer: PaperWriter;
  private readonly reader: PaperReader;
  /** Also what the exact match queries (search-matches.ts) ask about words. */
  readonly keyword: KeywordSearch;
  /** The connection of the open import, if any: one at a time per store, as on SQLite. */
  private importClient: pg.PoolClient | null = null;
  private readonly counts = new Map<string, { version: string; count: number }>();
  /** Costly searches take at most 2 of the pool's connections; plain searches keep the others. */
  readonly costlySearches = new CostlySearchGate({ running: 2, waiting: 8 });

  constructor(private readonly pool: pg.Pool) {
    this.writer = new PaperWriter(new SearchVectorPrefetch(pool));
    this.reader = new PaperReader(pool);
    this.keyword = new KeywordSearch(pool);
  }

  private async query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.pool.query<T>(sql, params)).rows;
  }

  private async saveCursor(client: pg.ClientBase, cursor: Papers.ImportCursor): Promise<void> {
    await client.query(
      `INSERT INTO import_cursors (key, value) VALUES ($1, $2)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = iso_now()`,
      [cursor.key, cursor.value],
    );
  }

  prepareWrite(records: PaperRecord[]): void {
    this.writer.prepare(records);
  }

  async writeBatch(records: PaperRecord[], cursor?: Papers.ImportCursor): Promise<Papers.WriteResult> {
    if (this.importClient)
      throw new StoreBusyError('an import is in progress on this store; write through it');
    const session = new WriteSession();
    const result = await inTransaction(this.pool, async (client) => {
      const written = await this.writer.write(client, records, session);
      if (cursor) await this.saveCursor(client, cursor);
      return written;
    });
    this.writer.adopt(session);
    return result;
  }

  /**
   * One transaction on a connection of its own until commit or rollback; each batch in a savepoint, so a batch
   * that fails rolls back alone. One import at a time per store, as on SQLite.
   */
  async beginImport(): Promise<Papers.ImportTransaction> {
    if (this.importClient) throw new StoreBusyError('another import is already in progress on this store');
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
    } catch (error) {
      client.release(error as Error);
      throw error;
    }
    this.importClient = client;
    // A connection lost mid-import fails its next statement; unheard, its error event would end the process.
    const onError = () => {};
    client.on('error', onError);
    const session = new WriteSession();
    let finished = false;
    let queue: Promise<unknown> = Promise.resolve();
    /** One statement sequence at a time on the import's connection, in call order. */
    const serial = <T>(work: () => Promise<T>): Promise<T> => {
      const next = queue.then(work, work);
      queue = next.catch(() => {});
      return next;
    };
    const end = async (sql: 'COMMIT' | 'ROLLBACK') => {
      if (finished) return;
      finished = true;
      let broken: Error | undefined;
      try {
        await client.query(sql);
      } catch (error) {
        broken = error as Error;
        if (sql === 'COMMIT') throw error;
      } finally {
        this.importClient = null;
        client.off('error', onError);
        client.release(broken);
      }
    };
    return {
      writeBatch: (records, cursor) =>
        serial(async () => {
          if (finished) throw new StoreBusyError('this import has already ended');
          await client.query('SAVEPOINT import_batch');
          try {
            const result = await this.writer.write(client, records, session);
            if (cursor) await this.saveCursor(client, cursor);
            await client.query('RELEASE SAVEPOINT import_batch');
            return result;
          } catch (error) {
            await client
              .query('ROLLBACK TO SAVEPOINT import_batch; RELEASE SAVEPOINT import_batch')
              .catch(() => {});
            throw error;
          }
        }),
      commit: () =>
        serial(async () => {
          if (finished) return;
          await end('COMMIT');
          this.writer.adopt(session);
        }),
      rollback: () => serial(() => end('ROLLBACK')),
    };
  }

  async getImportCursor(key: string): Promise<string | null> {
    const rows = await this.query<{ value: string }>('SELECT value FROM import_cursors WHERE key = $1', [
      key,
    ]);
    return rows[0]?.value ?? null;
  }

  async clearImportCursor(key: string): Promise<void> {
    await this.pool.query('DELETE FROM import_cursors WHERE key = $1', [key]);
  }

  async getPaper(id: string): Promise<Paper | null> {
    return (await this.reader.read([id]))[0] ?? null;
  }

  async getPapers(ids: string[]): Promise<Paper[]> {
    return this.reader.read(ids);
  }

  async hfExtras(ids: string[]): Promise<Map<string, HfExtra>> {
    return this.reader.hfExtras(ids);
  }

  async paperLinks(ids: string[]): Promise<Papers.PaperLink[]> {
    return this.reader.links(ids);
  }

  /**
   * A whole-table count, recomputed only after a write: COUNT(*) in PostgreSQL reads every row, and the
   * unfiltered counts are asked on every list page. The version is read first, so a count is never filed
   * under a version newer than the data it saw.
   */
  private async countOnce(key: string, sql: string): Promise<number> {
    const version = await dataVersion(this.pool);
    const cached = this.counts.get(key);
    if (cached?.version === version) return cached.count;
    const [row] = await this.query<{ count: number }>(sql);
    const count = row?.count ?? 0;
    this.counts.set(key, { version, count });
    return count;
  }

  /**
   * All visible papers, newest first: listed ones by day, then the others by date, each read in order from
   * its index (one sort over every paper would be needed otherwise).
   */
  private async newestVisible(limit: number, offset: number): Promise<string[]> {
    const ids = (
      await this.query<{ id: string }>(
        `SELECT p.id FROM daily_entries d JOIN papers p ON p.id = d.paper_id WHERE p.hidden = 0
         ORDER BY ${ORDER_BY.newest} LIMIT $1 OFFSET $2`,
        [limit, offset],
      )
    ).map((row) => row.id);
    if (ids.length === limit) return ids;
    // Past the listed papers: where the unlisted ones start depends on how many listed ones there are.
    const listed =
      ids.length > 0
        ? offset + ids.length
        : await this.countOnce(
            'listed',
            `SELECT ((SELECT count(*) FROM daily_entries)
                   - (SELECT count(*) FROM papers p JOIN daily_entries d ON d.paper_id = p.id WHERE p.hidden = 1))::int AS count`,
          );
    const unlisted = await this.query<{ id: string }>(
      `SELECT p.id FROM papers p
       WHERE p.hidden = 0 AND NOT EXISTS (SELECT 1 FROM daily_entries d WHERE d.paper_id = p.id)
       ORDER BY ${UNLISTED_ORDER} LIMIT $1 OFFSET $2`,
      [limit - ids.length, Math.max(0, offset - listed)],
    );
    ids.push(...unlisted.map((row) => row.id));
    return ids;
  }

  async listPapers(filter: Papers.PaperFilter, options: Papers.ListOptions = {}): Promise<Paper[]> {
    if (isUnfiltered(filter) && options.sort === 'newest' && !options.includeHidden)
      return this.reader.read(await this.newestVisible(options.limit ?? 50, options.offset ?? 0));
    const rows = await this.listed<{ id: string }>('p.id', filter, options);
    return this.reader.read(rows.map((row) => row.id));
  }

  async listPaperStamps(
    filter: Papers.PaperFilter,
    options: Papers.ListOptions = {},
  ): Promise<Papers.PaperStamp[]> {
    return this.listed<Papers.PaperStamp>(STAMP_COLUMNS, filter, options);
  }

  /** The `columns` of the papers a list holds, in its order. */
  private listed<Row extends pg.QueryResultRow>(
    columns: string,
    filter: Papers.PaperFilter,
    options: Papers.ListOptions,
  ): Promise<Row[]> {
    const { join, where, params } = paperFilterSql(
      filter,
      options.includeHidden ?? false,
      postgresPlaceholder,
    );
    return this.query<Row>(
      `SELECT ${columns} FROM papers p ${join} ${where} ORDER BY ${ORDER_BY[options.sort ?? 'upvotes']}
       LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, options.limit ?? 50, options.offset ?? 0],
    );
  }

  async countPapers(filter: Papers.PaperFilter = {}): Promise<number> {
    if (isUnfiltered(filter))
      return this.countOnce('visible', 'SELECT count(*)::int AS count FROM papers WHERE hidden = 0');
    const { join, where, params } = paperFilterSql(filter, false, postgresPlaceholder);
    const rows = await this.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM papers p ${join} ${where}`,
      params,
    );
    return rows[0]?.count ?? 0;
  }

  async deletePaper(id: string): Promise<void> {
    const result = await this.pool.query('DELETE FROM papers WHERE id = $1', [id]);
    if (result.rowCount === 0) throw new NotFoundError(`paper ${id}`);
  }

  async setPaperHidden(id: string, hidden: boolean): Promise<void> {
    const result = await this.pool.query('UPDATE papers SET hidden = $1 WHERE id = $2', [hidden ? 1 : 0, id]);
    if (result.rowCount === 0) throw new NotFoundError(`paper ${id}`);
  }

  async compactKeywordIndex(onProgress?: (done: number, total: number) => void): Promise<void> {
    onProgress?.(0, 1);
    // Flushes the GIN index's pending list and refreshes the planner's statistics after a bulk load.
    await this.pool.query('VACUUM (ANALYZE) papers');
    onProgress?.(1, 1);
  }

  async keywordSearch(query: SearchQuery, limit: number): Promise<Papers.KeywordHit[]> {
    if (isCostlySearch(query)) return this.costlySearches.run(() => this.keyword.search(query, limit));
    return this.keyword.search(query, limit);
  }

  async filterSearchHits(ids: string[], query: SearchQuery): Promise<Set<string>> {
    return this.keyword.filter(ids, query);
  }

  async searchSignals(ids: string[]): Promise<Map<string, Papers.SearchSignals>> {
    return this.keyword.signals(ids);
  }

  async latestDay(atOrBefore?: string): Promise<string | null> {
    const rows = atOrBefore
      ? await this.query<{ day: string | null }>(
          'SELECT MAX(day) AS day FROM daily_entries WHERE day <= $1',
          [atOrBefore],
        )
      : await this.query<{ day: string | null }>('SELECT MAX(day) AS day FROM daily_entries');
    return rows[0]?.day ?? null;
  }

  async listPaperLocations(after: number, limit: number): Promise<Papers.PaperLocation[]> {
    return this.query<Papers.PaperLocation>(
      'SELECT doc_id AS position, id, COALESCE(updated_at, published_at) AS "updatedAt" FROM papers WHERE hidden = 0 AND doc_id > $1 ORDER BY doc_id LIMIT $2',
      [after, limit],
    );
  }

  async paperPageEnds(pageSize: number): Promise<number[]> {
    const rows = await this.query<{ position: number }>(
      'SELECT position FROM (SELECT doc_id AS position, row_number() OVER (ORDER BY doc_id) AS n FROM papers WHERE hidden = 0) AS numbered WHERE n % $1 = 0 ORDER BY position',
      [pageSize],
    );
    return rows.map((row) => row.position);
  }

  async adjacentDays(day: string): Promise<{ previous: string | null; next: string | null }> {
    const rows = await this.query<{ previous: string | null; next: string | null }>(
      `SELECT (SELECT MAX(day) FROM daily_entries WHERE day < $1) AS previous,
              (SELECT MIN(day) FROM daily_entries WHERE day > $1) AS next`,
      [day],
    );
    return { previous: rows[0]?.previous ?? null, next: rows[0]?.next ?? null };
  }

  /** Rolls back the import still open, if any (when the store closes). */
  async rollbackOpenImport(): Promise<void> {
    const client = this.importClient;
    if (!client) return;
    this.importClient = null;
    await client.query('ROLLBACK').catch(() => {});
    client.release();
  }
}
