import type { HfExtra, Paper, PaperRecord } from '../domain/paper.ts';
import type { SearchQuery } from '../domain/search-query.ts';

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

/** Listing days in [fromDay, toDay] (inclusive, YYYY-MM-DD). */
export interface DayRange {
  fromDay: string;
  toDay: string;
}

/** Which papers a list holds; all given conditions apply. With `days` or `submitter`, only listed papers. */
export interface PaperFilter {
  days?: DayRange;
  /** Username of who listed the paper. */
  submitter?: string;
  /** Exact author name. */
  author?: string;
  /** Organization handle. */
  organization?: string;
}

export interface SearchSignals {
  upvotes: number;
  day: string | null;
  hidden: boolean;
}

/** A keyword search hit; a larger score is a better match. */
export interface KeywordHit {
  id: string;
  score: number;
}

/** A paper's place in position order, its id and when its metadata last changed (ISO, when known). */
export interface PaperLocation {
  position: number;
  id: string;
  updatedAt: string | null;
}

/** What of a listed paper changes between two reads: its counts, and when its metadata last changed (ISO). */
export interface PaperStamp {
  id: string;
  upvotes: number;
  numComments: number;
  changedAt: string;
}

/** What a link to a paper shows (its title, listing or arXiv day, upvotes), read without the rest of the paper. */
export interface PaperLink {
  id: string;
  title: string;
  /** The listing day, when the paper is listed. */
  day: string | null;
  publishedAt: string | null;
  upvotes: number;
}

/** Papers and their listings: imports, reads, lists, takedowns and keyword search. */
export interface PaperStore {
  /** Writes one batch atomically, committing immediately; a cursor is saved in the same transaction. */
  writeBatch(records: PaperRecord[], cursor?: ImportCursor): Promise<WriteResult>;
  /**
   * Says that these records are written next (by `writeBatch`), while an earlier batch may still be writing: the
   * store may start on what does not depend on that batch (PostgreSQL computes their keyword vectors on another
   * connection). Changes nothing by itself.
   */
  prepareWrite(records: PaperRecord[]): void;
  /** Starts an all-or-nothing import spanning many batches. Only one may be open at a time. */
  beginImport(): Promise<ImportTransaction>;
  getImportCursor(key: string): Promise<string | null>;
  clearImportCursor(key: string): Promise<void>;

  getPaper(id: string): Promise<Paper | null>;
  /** Papers by id, in the order given; unknown ids are left out. */
  getPapers(ids: string[]): Promise<Paper[]>;
  /**
   * The Hugging Face entries (HfExtra) the ids' papers were imported with, by id; papers without one are left out.
   * Apart from the papers: only the Hugging Face API answers serve them, and they are kilobytes a paper.
   */
  hfExtras(ids: string[]): Promise<Map<string, HfExtra>>;
  /** The visible papers among the ids as links, in the order given; unknown and hidden ids are left out. */
  paperLinks(ids: string[]): Promise<PaperLink[]>;
  /** Sort 'upvotes' breaks ties by listing day and order; 'newest' is by listing day, then arXiv date. */
  listPapers(filter: PaperFilter, options?: ListOptions): Promise<Paper[]>;
  /**
   * The papers `listPapers` lists, in its order, as stamps only: for a reader who holds papers read before and
   * reads again only those whose metadata changed.
   */
  listPaperStamps(filter: PaperFilter, options?: ListOptions): Promise<PaperStamp[]>;
  countPapers(filter?: PaperFilter): Promise<number>;
  setPaperHidden(id: string, hidden: boolean): Promise<void>;
  /**
   * Removes a paper and everything attached to it (listing, categories, votes, comments, vector; the keyword index
   * follows in the same transaction); NotFoundError when there is none. For takedowns: hiding keeps the paper.
   */
  deletePaper(id: string): Promise<void>;
  /** The newest listing day at or before `day` (or overall when absent), or null for an empty store. */
  latestDay(atOrBefore?: string): Promise<string | null>;
  /** The nearest listing day strictly before / after `day`. */
  adjacentDays(day: string): Promise<{ previous: string | null; next: string | null }>;
  /**
   * Visible papers in position order after position `after` (0: from the start), for sitemaps: keyset pages
   * that stay as fast on the last page of millions as on the first.
   */
  listPaperLocations(after: number, limit: number): Promise<PaperLocation[]>;
  /** Where each page of `pageSize` visible papers ends, as the `after` of the next page (one per full page). */
  paperPageEnds(pageSize: number): Promise<number[]>;
  /**
   * Rewrites the keyword index compactly after a bulk load, for faster queries; the site keeps working meanwhile
   * (SQLite: FTS5 segments merged a short transaction at a time; PostgreSQL: VACUUM ANALYZE of the papers).
   * `onProgress` gets work done and the work expected, in the store's own unit.
   */
  compactKeywordIndex(onProgress?: (done: number, total: number) => void): Promise<void>;
  /**
   * Keyword matches of a parsed query (BM25: title weighs most, then authors, then abstract), best first, with
   * its filters, phrases, authors and exclusions applied; a query of filters only lists the newest papers.
   */
  keywordSearch(query: SearchQuery, limit: number): Promise<KeywordHit[]>;
  /** Of `ids`, those that pass the query's filters, phrases, authors and exclusions (for semantic hits). */
  filterSearchHits(ids: string[], query: SearchQuery): Promise<Set<string>>;
  /** What search needs to order hits without loading whole papers: upvotes and the listing (else arXiv) day. */
  searchSignals(ids: string[]): Promise<Map<string, SearchSignals>>;
}
