import type Database from 'better-sqlite3';
import type { HfExtra, Paper, PaperRecord } from '../../domain/paper.ts';
import type { SearchQuery } from '../../domain/search-query.ts';
import { isUnfiltered, paperFilterSql } from '../paper-filter-sql.ts';
import { STAMP_COLUMNS } from '../paper-rows.ts';
import type * as Papers from '../papers.ts';
import { NotFoundError } from '../store.ts';
import { StoreBusyError } from '../store-busy-error.ts';
import type { WaitingWriters } from '../waiting-writers.ts';
import type { Write } from './busy-retry.ts';
import { compactKeywordIndex } from './keyword-index-compaction.ts';
import { KeywordSearch } from './keyword-search.ts';
import type { KeywordSearchThreads } from './keyword-search-thread.ts';
import { PaperReader } from './paper-reader.ts';
import { PaperWriter } from './paper-writer.ts';

const ORDER_BY = {
  upvotes: '(p.imported_upvotes + p.member_upvotes) DESC, d.day DESC, d.position ASC, p.published_at DESC',
  newest: 'd.day DESC, d.position ASC, p.published_at DESC, p.id DESC',
} as const;

/** Papers, imports, lists and keyword search on SQLite. */
export class SqlitePapers implements Papers.PaperStore {
  private readonly writer: PaperWriter;
  private readonly reader: PaperReader;
  /** Also what the exact match queries (search-matches.ts) ask about words. */
  readonly keyword: KeywordSearch;
  private importOpen = false;
  private readonly statements;
  /** Statements built from a filter, by SQL text (a handful of shapes): preparing costs more than running. */
  private readonly filterStatements = new Map<string, Database.Statement>();

  /** A statement prepared once; one of a single column answers that column's values. */
  private prepared(sql: string): Database.Statement {
    let statement = this.filterStatements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      if (statement.columns().length === 1) statement.pluck();
      this.filterStatements.set(sql, statement);
    }
    return statement;
  }

  /**
   * `keywordThread` (a file database) ranks keyword searches on another thread; without it (":memory:", which
   * another connection cannot open) they run on this connection.
   */
  constructor(
    private readonly db: Database.Database,
    private readonly keywordThread: KeywordSearchThreads | null,
    private readonly write: Write,
    private readonly waitingWriters: WaitingWriters,
  ) {
    this.writer = new PaperWriter(db);
    this.reader = new PaperReader(db);
    this.keyword = new KeywordSearch(db);
    this.statements = {
      getCursor: db.prepare<[string], string>('SELECT value FROM import_cursors WHERE key = ?').pluck(),
      setCursor: db.prepare(
        `INSERT INTO import_cursors (key, value) VALUES (?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
      ),
      clearCursor: db.prepare('DELETE FROM import_cursors WHERE key = ?'),
      latestDay: db.prepare<[], string | null>('SELECT MAX(day) FROM daily_entries').pluck(),
      latestDayBefore: db
        .prepare<[string], string | null>('SELECT MAX(day) FROM daily_entries WHERE day <= ?')
        .pluck(),
      // One statement, so one read transaction (each costs file locks and a size check).
      adjacentDays: db
        .prepare<{ day: string }, [string | null, string | null]>(
          `SELECT (SELECT MAX(day) FROM daily_entries WHERE day < @day),
                  (SELECT MIN(day) FROM daily_entries WHERE day > @day)`,
        )
        .raw(),
      setHidden: db.prepare('UPDATE papers SET hidden = ? WHERE id = ?'),
      deletePaper: db.prepare('DELETE FROM papers WHERE id = ?'),
      indexPending: db.prepare(
        `INSERT INTO papers_fts (rowid, title, abstract, authors_text)
         SELECT p.doc_id, p.title, p.abstract, p.authors_text FROM fts_pending f JOIN papers p ON p.doc_id = f.doc_id`,
      ),
      clearPending: db.prepare('DELETE FROM fts_pending'),
      // COUNT(*) without WHERE is a b-tree count; hidden papers are few and indexed (migration 006).
      countVisible: db
        .prepare('SELECT (SELECT COUNT(*) FROM papers) - (SELECT COUNT(*) FROM papers WHERE hidden = 1)')
        .pluck(),
      countListedVisible: db
        .prepare(
          `SELECT (SELECT COUNT(*) FROM daily_entries)
                - (SELECT COUNT(*) FROM papers p JOIN daily_entries d ON d.paper_id = p.id WHERE p.hidden = 1)`,
        )
        .pluck(),
      newestListed: db
        .prepare<[number, number], string>(
          `SELECT p.id FROM daily_entries d CROSS JOIN papers p ON p.id = d.paper_id WHERE p.hidden = 0
           ORDER BY ${ORDER_BY.newest} LIMIT ? OFFSET ?`,
        )
        .pluck(),
      newestUnlisted: db
        .prepare<[number, number], string>(
          `SELECT p.id FROM papers p
           WHERE p.hidden = 0 AND NOT EXISTS (SELECT 1 FROM daily_entries d WHERE d.paper_id = p.id)
           ORDER BY p.published_at DESC, p.id DESC LIMIT ? OFFSET ?`,
        )
        .pluck(),
    };
  }

  /** Every write goes through here: see retryWhileBusy. `work` is one transaction or a single statement. */

  private writeAtomically(
    records: PaperRecord[],
    cursor: Papers.ImportCursor | undefined,
    indexNow: boolean,
  ): Papers.WriteResult {
    const result = this.writer.write(records);
    if (cursor) this.statements.setCursor.run(cursor.key, cursor.value);
    if (indexNow) this.indexPendingPapers();
    return result;
  }

  /** Adds papers inserted in this transaction to the keyword index (see migration 002). */
  private indexPendingPapers(): void {
    this.statements.indexPending.run();
    this.statements.clearPending.run();
  }

  /** Nothing to start ahead: the FTS5 index is written with the rows. */
  prepareWrite(_records: PaperRecord[]): void {}

  async writeBatch(records: PaperRecord[], cursor?: Papers.ImportCursor): Promise<Papers.WriteResult> {
    if (this.importOpen) throw new StoreBusyError('an import is in progress on this store; write through it');
    try {
      return await this.write(() =>
        this.db.transaction(() => this.writeAtomically(records, cursor, true)).immediate(),
      );
    } catch (error) {
      this.writer.forgetCachedIds();
      throw error;
    }
  }

  async beginImport(): Promise<Papers.ImportTransaction> {
    if (this.importOpen) throw new StoreBusyError('another import is already in progress on this store');
    this.importOpen = true;
    try {
      await this.write(() => this.db.exec('BEGIN IMMEDIATE'));
    } catch (error) {
      this.importOpen = false;
      throw error;
    }
    let finished = false;
    const end = (sql: string) => {
      if (finished) return;
      finished = true;
      this.importOpen = false;
      if (this.db.inTransaction) this.db.exec(sql);
    };
    return {
      writeBatch: async (records, cursor) => {
        if (finished) throw new StoreBusyError('this import has already ended');
        // A nested better-sqlite3 transaction is a savepoint: the batch is atomic within the import.
        try {
          return this.db.transaction(() => this.writeAtomically(records, cursor, false))();
        } catch (error) {
          this.writer.forgetCachedIds();
          throw error;
        }
      },
      commit: async () => {
        if (!finished) this.indexPendingPapers();
        end('COMMIT');
      },
      rollback: async () => {
        this.writer.forgetCachedIds();
        end('ROLLBACK');
      },
    };
  }

  async getImportCursor(key: string): Promise<string | null> {
    return this.statements.getCursor.get(key) ?? null;
  }

  async clearImportCursor(key: string): Promise<void> {
    await this.write(() => this.statements.clearCursor.run(key));
  }

  async getPaper(id: string): Promise<Paper | null> {
    return this.reader.read([id])[0] ?? null;
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
   * All visible papers, newest first: listed ones by day, then the others by date, each read in order from
   * its index (the CROSS JOIN keeps SQLite from scanning every paper and sorting them all).
   */
  private newestVisible(limit: number, offset: number): string[] {
    const listed = this.statements.countListedVisible.get() as number;
    const ids = offset < listed ? (this.statements.newestListed.all(limit, offset) as string[]) : [];
    if (ids.length < limit)
      ids.push(
        ...(this.statements.newestUnlisted.all(limit - ids.length, Math.max(0, offset - listed)) as string[]),
      );
    return ids;
  }

  async listPapers(filter: Papers.PaperFilter, options: Papers.ListOptions = {}): Promise<Paper[]> {
    return this.inOneRead(() => {
      if (isUnfiltered(filter) && options.sort === 'newest' && !options.includeHidden)
        return this.reader.read(this.newestVisible(options.limit ?? 50, options.offset ?? 0));
      return this.reader.read(this.listed('p.id', filter, options) as string[]);
    });
  }

  /**
   * Runs the statements of `read` in one read transaction rather than one each: each costs SQLite file locks and a
   * size check (system calls), and the list and its papers then come from the same snapshot.
   */
  private inOneRead<T>(read: () => T): T {
    return this.db.transaction(read)();
  }

  async listPaperStamps(
    filter: Papers.PaperFilter,
    options: Papers.ListOptions = {},
  ): Promise<Papers.PaperStamp[]> {
    return this.listed(STAMP_COLUMNS, filter, options) as Papers.PaperStamp[];
  }

  /** The `columns` of the papers a list holds, in its order (one column: its values). */
  private listed(columns: string, filter: Papers.PaperFilter, options: Papers.ListOptions): unknown[] {
    const { join, where, params } = paperFilterSql(filter, options.includeHidden ?? false, () => '?');
    return this.prepared(
      `SELECT ${columns} FROM papers p ${join} ${where} ORDER BY ${ORDER_BY[options.sort ?? 'upvotes']}
       LIMIT ? OFFSET ?`,
    ).all(...params, options.limit ?? 50, options.offset ?? 0);
  }

  async countPapers(filter: Papers.PaperFilter = {}): Promise<number> {
    if (isUnfiltered(filter)) return this.statements.countVisible.get() as number;
    const { join, where, params } = paperFilterSql(filter, false, () => '?');
    return this.prepared(`SELECT COUNT(*) FROM papers p ${join} ${where}`).get(...params) as number;
  }

  async deletePaper(id: string): Promise<void> {
    if ((await this.write(() => this.statements.deletePaper.run(id))).changes === 0)
      throw new NotFoundError(`paper ${id}`);
  }

  async setPaperHidden(id: string, hidden: boolean): Promise<void> {
    if ((await this.write(() => this.statements.setHidden.run(hidden ? 1 : 0, id))).changes === 0)
      throw new NotFoundError(`paper ${id}`);
  }

  async keywordSearch(query: SearchQuery, limit: number): Promise<Papers.KeywordHit[]> {
    if (this.keywordThread) return this.keywordThread.search(query, limit);
    return this.keyword.search(query, limit);
  }

  async filterSearchHits(ids: string[], query: SearchQuery): Promise<Set<string>> {
    return this.keyword.filter(ids, query);
  }

  async compactKeywordIndex(onProgress?: (done: number, total: number) => void): Promise<void> {
    await compactKeywordIndex(
      this.db,
      (step) => this.write(step),
      (since) => this.waitingWriters.waitedSince(since),
      onProgress,
    );
  }

  async searchSignals(ids: string[]): Promise<Map<string, Papers.SearchSignals>> {
    return this.keyword.signals(ids);
  }

  async latestDay(atOrBefore?: string): Promise<string | null> {
    return (
      (atOrBefore ? this.statements.latestDayBefore.get(atOrBefore) : this.statements.latestDay.get()) ?? null
    );
  }

  async listPaperLocations(after: number, limit: number): Promise<Papers.PaperLocation[]> {
    return this.db
      .prepare(
        'SELECT doc_id AS position, id, COALESCE(updated_at, published_at) AS "updatedAt" FROM papers WHERE hidden = 0 AND doc_id > ? ORDER BY doc_id LIMIT ?',
      )
      .all(after, limit) as Papers.PaperLocation[];
  }

  async paperPageEnds(pageSize: number): Promise<number[]> {
    return this.prepared(
      'SELECT position FROM (SELECT doc_id AS position, row_number() OVER (ORDER BY doc_id) AS n FROM papers WHERE hidden = 0) AS numbered WHERE n % ? = 0 ORDER BY position',
    ).all(pageSize) as number[];
  }

  async adjacentDays(day: string): Promise<{ previous: string | null; next: string | null }> {
    const [previous, next] = this.statements.adjacentDays.get({ day }) ?? [null, null];
    return { previous, next };
  }
}
