import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { StoreUnavailableError } from '../store.ts';

/** Waits between attempts, in ms: short, so a write slips in between two batches of an import in another process. */
const BACKOFF_MS = [1, 2, 3, 5, 5, 8];

/** SQLITE_BUSY and its extended codes (BUSY_SNAPSHOT, BUSY_RECOVERY, …): another connection holds the lock. */
export function isBusy(error: unknown): boolean {
  return error instanceof Database.SqliteError && error.code.startsWith('SQLITE_BUSY');
}

/**
 * Runs `write`, a whole synchronous transaction (or a single statement), again and again while the database is
 * busy, sleeping on a timer in between, for at most `waitMs`; then throws StoreUnavailableError. better-sqlite3
 * waits synchronously (`busy_timeout`), which would stop every other request of the process: connections run
 * with `busy_timeout = 0` and wait here instead. A busy write was rolled back whole, so running it again is safe.
 */
export async function retryWhileBusy<T>(write: () => T, waitMs: number): Promise<T> {
  const deadline = Date.now() + waitMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return write();
    } catch (error) {
      if (!isBusy(error)) throw error;
      const delay = BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)] as number;
      if (Date.now() + delay > deadline)
        throw new StoreUnavailableError(Math.max(1, Math.ceil(waitMs / 1000)));
      await sleep(delay);
    }
  }
}

/** Runs one synchronous write (a transaction or a single statement) with retryWhileBusy's waiting. */
export type Write = <T>(work: () => T) => Promise<T>;
