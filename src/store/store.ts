import type { Paper, PaperRecord } from '../domain/paper.ts';

/** What one batch write changed. */
export interface WriteResult {
  inserted: number;
  updated: number;
  unchanged: number;
}

/** Position of a resumable import (e.g. an OAI-PMH resumption token), saved with the batch it ends. */
export interface ImportCursor {
  key: string;
  value: string;
}

/**
 * One import in progress: batches written through it become visible together at `commit()`,
 * or not at all after `rollback()` (or a crash). Each `writeBatch` is itself atomic.
 */
export interface ImportTransaction {
  writeBatch(records: PaperRecord[], cursor?: ImportCursor): Promise<WriteResult>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

export type ListSort = 'upvotes' | 'newest';

export interface ListOptions {
  sort?: ListSort;
  limit?: number;
  offset?: number;
  includeHidden?: boolean;
}

/** Papers listed on days in [fromDay, toDay] (inclusive, YYYY-MM-DD). */
export interface DayRange {
  fromDay: string;
  toDay: string;
}

/**
 * The persistence contract. Implemented by `store/sqlite` (embedded default) and, later,
 * `store/postgres`: nothing database-specific crosses this boundary.
 */
export interface Store {
  /** Writes one batch atomically, committing immediately; a cursor is saved in the same transaction. */
  writeBatch(records: PaperRecord[], cursor?: ImportCursor): Promise<WriteResult>;
  /** Starts an all-or-nothing import spanning many batches. Only one may be open at a time. */
  beginImport(): Promise<ImportTransaction>;
  getImportCursor(key: string): Promise<string | null>;
  clearImportCursor(key: string): Promise<void>;

  getPaper(id: string): Promise<Paper | null>;
  /** Papers listed on the days in range; sort 'upvotes' breaks ties by listing order. */
  listByDays(range: DayRange, options?: ListOptions): Promise<Paper[]>;
  countByDays(range: DayRange): Promise<number>;
  /** The newest listing day at or before `day` (or overall when absent), or null for an empty store. */
  latestDay(atOrBefore?: string): Promise<string | null>;
  /** The nearest listing day strictly before / after `day`. */
  adjacentDays(day: string): Promise<{ previous: string | null; next: string | null }>;
  countPapers(): Promise<number>;

  close(): Promise<void>;
}
