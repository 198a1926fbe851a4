import type Database from 'better-sqlite3';
import type { Store } from '../store.ts';
import type { WaitingWriters } from '../waiting-writers.ts';
import { retryWhileBusy, type Write } from './busy-retry.ts';
import { SqliteDigests } from './digests.ts';
import { SqliteEngagement } from './engagement.ts';
import { SqliteFollows } from './follows.ts';
import { SqliteIndexWords } from './index-words.ts';
import { SqliteJobs } from './jobs.ts';
import type { KeywordSearchThreads } from './keyword-search-thread.ts';
import { SqliteLibrary } from './library.ts';
import { SqliteMembers } from './members.ts';
import { SqlitePapers } from './papers.ts';
import { SqliteApiTokens, SqliteAuthorClaims, SqliteNotifications, SqlitePeople } from './people.ts';
import { SqliteRateLimits } from './rate-limits.ts';
import { SqliteSearchMatches } from './search-matches.ts';
import { SqliteSessions } from './sessions.ts';
import { SqliteSubscriptions } from './subscriptions.ts';
import { SqliteVectors } from './vectors.ts';
import { WriterWaitSignal } from './writer-wait-signal.ts';

/** How long a write waits for another connection's transaction (an import) before StoreUnavailableError. */
export const DEFAULT_WRITE_WAIT_MS = 5_000;

/**
 * The Store on one SQLite file: its areas on one connection (better-sqlite3 is synchronous; the contract is
 * async for PostgreSQL), every write through retryWhileBusy.
 */
export class SqliteStore implements Store {
  readonly papers: SqlitePapers;
  readonly members: SqliteMembers;
  readonly engagement: SqliteEngagement;
  readonly vectors: SqliteVectors;
  readonly subscriptions: SqliteSubscriptions;
  readonly digests: SqliteDigests;
  readonly jobs: SqliteJobs;
  readonly searchMatches: SqliteSearchMatches;
  readonly indexWords: SqliteIndexWords;
  readonly apiTokens: SqliteApiTokens;
  readonly authorClaims: SqliteAuthorClaims;
  readonly people: SqlitePeople;
  readonly notifications: SqliteNotifications;
  readonly rateLimits: SqliteRateLimits;
  readonly sessions: SqliteSessions;
  readonly waitingWriters: WaitingWriters;
  readonly follows: SqliteFollows;
  readonly library: SqliteLibrary;
  private readonly statements;

  /**
   * `keywordThread` (a file database) ranks keyword searches on another thread; without it (":memory:", which
   * another connection cannot open) they run on this connection.
   */
  constructor(
    private readonly db: Database.Database,
    private readonly keywordThread: KeywordSearchThreads | null = null,
    writeWaitMs = DEFAULT_WRITE_WAIT_MS,
    waitSignal = new WriterWaitSignal(null),
  ) {
    // A write that waits tells importers in other processes (waitingWriters); the papers' bulk writes (import
    // batches, index compaction) do not.
    const write: Write = (work) => retryWhileBusy(work, writeWaitMs, () => waitSignal.note());
    const bulkWrite: Write = (work) => retryWhileBusy(work, writeWaitMs);
    this.waitingWriters = { waitedSince: (since) => waitSignal.notedSince(since), batchMs: 50 };
    this.papers = new SqlitePapers(db, keywordThread, bulkWrite, this.waitingWriters);
    this.members = new SqliteMembers(db, write);
    this.engagement = new SqliteEngagement(db, write);
    this.vectors = new SqliteVectors(db, write);
    this.subscriptions = new SqliteSubscriptions(db, write);
    this.digests = new SqliteDigests(db, write);
    this.jobs = new SqliteJobs(db, write);
    this.searchMatches = new SqliteSearchMatches(db, this.papers.keyword, keywordThread);
    this.indexWords = new SqliteIndexWords(db, keywordThread);
    this.apiTokens = new SqliteApiTokens(db, write);
    this.authorClaims = new SqliteAuthorClaims(db, write);
    this.people = new SqlitePeople(db);
    this.notifications = new SqliteNotifications(db, write);
    this.rateLimits = new SqliteRateLimits(db, this.members, write);
    this.sessions = new SqliteSessions(db, this.members, write);
    this.follows = new SqliteFollows(db, write);
    this.library = new SqliteLibrary(db, write);
    this.statements = {
      dataVersion: db.prepare<[], number>('PRAGMA data_version').pluck(),
      totalChanges: db.prepare<[], number>('SELECT total_changes()').pluck(),
    };
  }

  async dataVersion(): Promise<string> {
    return `${this.statements.dataVersion.get()}.${this.statements.totalChanges.get()}`;
  }

  async close(): Promise<void> {
    await this.keywordThread?.close();
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
    this.db.close();
  }
}
