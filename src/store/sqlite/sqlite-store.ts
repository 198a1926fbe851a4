import type Database from 'better-sqlite3';
import type { Paper, PaperRecord } from '../../domain/paper.ts';
import type { DayRange, ImportCursor, ImportTransaction, ListOptions, Store, WriteResult } from '../store.ts';
import { PaperReader } from './paper-reader.ts';
import { PaperWriter } from './paper-writer.ts';

export class StoreBusyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreBusyError';
  }
}

const ORDER_BY = {
  upvotes: '(p.imported_upvotes + p.member_upvotes) DESC, d.day DESC, d.position ASC',
  newest: 'd.day DESC, d.position ASC',
} as const;

/** The Store contract on one SQLite file (better-sqlite3 is synchronous; the contract is async for PostgreSQL). */
export class SqliteStore implements Store {
  private readonly writer: PaperWriter;
  private readonly reader: PaperReader;
  private importOpen = false;
  private readonly statements;

  constructor(private readonly db: Database.Database) {
    this.writer = new PaperWriter(db);
    this.reader = new PaperReader(db);
    this.statements = {
      getCursor: db.prepare<[string], string>('SELECT value FROM import_cursors WHERE key = ?').pluck(),
      setCursor: db.prepare(
        `INSERT INTO import_cursors (key, value) VALUES (?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
      ),
      clearCursor: db.prepare('DELETE FROM import_cursors WHERE key = ?'),
      countByDays: db
        .prepare<[string, string], number>(
          `SELECT COUNT(*) FROM daily_entries d JOIN papers p ON p.id = d.paper_id
           WHERE d.day BETWEEN ? AND ? AND p.hidden = 0`,
        )
        .pluck(),
      latestDay: db.prepare<[], string | null>('SELECT MAX(day) FROM daily_entries').pluck(),
      latestDayBefore: db
        .prepare<[string], string | null>('SELECT MAX(day) FROM daily_entries WHERE day <= ?')
        .pluck(),
      previousDay: db
        .prepare<[string], string | null>('SELECT MAX(day) FROM daily_entries WHERE day < ?')
        .pluck(),
      nextDay: db
        .prepare<[string], string | null>('SELECT MIN(day) FROM daily_entries WHERE day > ?')
        .pluck(),
      countPapers: db.prepare<[], number>('SELECT COUNT(*) FROM papers').pluck(),
      indexPending: db.prepare(
        `INSERT INTO papers_fts (rowid, title, abstract)
         SELECT p.doc_id, p.title, p.abstract FROM fts_pending f JOIN papers p ON p.doc_id = f.doc_id`,
      ),
      clearPending: db.prepare('DELETE FROM fts_pending'),
    };
  }

  private writeAtomically(
    records: PaperRecord[],
    cursor: ImportCursor | undefined,
    indexNow: boolean,
  ): WriteResult {
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

  async writeBatch(records: PaperRecord[], cursor?: ImportCursor): Promise<WriteResult> {
    if (this.importOpen) throw new StoreBusyError('an import is in progress on this store; write through it');
    try {
      return this.db.transaction(() => this.writeAtomically(records, cursor, true)).immediate();
    } catch (error) {
      this.writer.forgetCachedIds();
      throw error;
    }
  }

  async beginImport(): Promise<ImportTransaction> {
    if (this.importOpen) throw new StoreBusyError('another import is already in progress on this store');
    this.db.exec('BEGIN IMMEDIATE');
    this.importOpen = true;
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
    this.statements.clearCursor.run(key);
  }

  async getPaper(id: string): Promise<Paper | null> {
    return this.reader.read([id])[0] ?? null;
  }

  async listByDays(range: DayRange, options: ListOptions = {}): Promise<Paper[]> {
    const sort = ORDER_BY[options.sort ?? 'upvotes'];
    const hidden = options.includeHidden ? '' : 'AND p.hidden = 0';
    const ids = this.db
      .prepare<[string, string, number, number], string>(
        `SELECT p.id FROM daily_entries d JOIN papers p ON p.id = d.paper_id
         WHERE d.day BETWEEN ? AND ? ${hidden} ORDER BY ${sort} LIMIT ? OFFSET ?`,
      )
      .pluck()
      .all(range.fromDay, range.toDay, options.limit ?? 50, options.offset ?? 0);
    return this.reader.read(ids);
  }

  async countByDays(range: DayRange): Promise<number> {
    return this.statements.countByDays.get(range.fromDay, range.toDay) ?? 0;
  }

  async latestDay(atOrBefore?: string): Promise<string | null> {
    return (
      (atOrBefore ? this.statements.latestDayBefore.get(atOrBefore) : this.statements.latestDay.get()) ?? null
    );
  }

  async adjacentDays(day: string): Promise<{ previous: string | null; next: string | null }> {
    return {
      previous: this.statements.previousDay.get(day) ?? null,
      next: this.statements.nextDay.get(day) ?? null,
    };
  }

  async countPapers(): Promise<number> {
    return this.statements.countPapers.get() ?? 0;
  }

  async close(): Promise<void> {
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
    this.db.close();
  }
}
