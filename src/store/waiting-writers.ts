/** Whether the site's writes are waiting for a bulk writer (an import) of another connection or process. */
export interface WaitingWriters {
  /**
   * True when a write of another connection found the database locked at `since` (ms since the epoch) or later.
   * An import pauses between batches only then. Always false on PostgreSQL, where a batch locks only its rows.
   */
  waitedSince(since: number): boolean;
}
