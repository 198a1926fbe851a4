/** Whether the site's writes are waiting for a bulk writer (an import) of another connection or process. */
export interface WaitingWriters {
  /**
   * True when a write of another connection found the database locked at `since` (ms since the epoch) or later.
   * An import pauses between batches only then. Always false on PostgreSQL, where a batch locks only its rows.
   */
  waitedSince(since: number): boolean;
  /**
   * How long one import batch should take, in ms: what a site's write may have to wait for it. SQLite: the one
   * write lock, held by the whole batch. PostgreSQL: only writes to the batch's papers and listing days wait, and
   * a larger batch costs less per paper (fewer statements).
   */
  readonly batchMs: number;
}
