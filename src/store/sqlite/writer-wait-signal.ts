import { statSync, utimesSync, writeFileSync } from 'node:fs';

/** A note at most this often per process: a file's times are cheap to set, but not free. */
const NOTE_EVERY_MS = 2;

/**
 * Tells an import in another process that the site's writes are waiting for its batches: a write that finds the
 * database locked sets the modification time of a small file beside it (`<database>-writers`), and the importer
 * pauses after a batch only when that time is newer than the batch's start. SQLite itself has no way to say that a
 * connection is waiting (busy waits happen inside the waiting process), and this file is the cheapest signal two
 * processes share. Without a file (":memory:", one connection) there is nothing to signal.
 */
export class WriterWaitSignal {
  private lastNote = 0;

  constructor(private readonly path: string | null) {}

  static besideDatabase(databasePath: string): WriterWaitSignal {
    return new WriterWaitSignal(`${databasePath}-writers`);
  }

  /** A write found the database locked by another connection. */
  note(): void {
    const now = Date.now();
    if (!this.path || now - this.lastNote < NOTE_EVERY_MS) return;
    this.lastNote = now;
    try {
      utimesSync(this.path, now / 1000, now / 1000);
    } catch {
      try {
        writeFileSync(this.path, '');
      } catch {
        // A read-only directory: imports then pause only as long as their own batches take to prepare.
      }
    }
  }

  /** Whether a write found the database locked at `since` (ms since the epoch) or later. */
  notedSince(since: number): boolean {
    if (!this.path) return false;
    const stat = statSync(this.path, { throwIfNoEntry: false });
    return stat !== undefined && stat.mtimeMs >= since;
  }
}
