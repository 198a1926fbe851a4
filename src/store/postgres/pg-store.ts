import type pg from 'pg';
import { isCostlySearch } from '../costly-search.ts';
import type { Store } from '../store.ts';
import type { VectorStore } from '../vectors.ts';
import type { WaitingWriters } from '../waiting-writers.ts';
import { dataVersion } from './data-version.ts';
import { PostgresDigests } from './digests.ts';
import { PostgresEngagement } from './engagement.ts';
import { PostgresFollows } from './follows.ts';
import { PostgresIndexWords } from './index-words.ts';
import { PostgresJobs } from './jobs.ts';
import { PostgresLibrary } from './library.ts';
import { PostgresMembers } from './members.ts';
import { PostgresPapers } from './papers.ts';
import { PostgresApiTokens, PostgresAuthorClaims, PostgresNotifications, PostgresPeople } from './people.ts';
import { PgRateLimits } from './rate-limits.ts';
import { PostgresSearchMatches } from './search-matches.ts';
import { PgSessions } from './sessions.ts';
import { PostgresSubscriptions } from './subscriptions.ts';
import { ByteaVectorStorage } from './vectors.ts';

/**
 * The Store on PostgreSQL: its areas on one connection pool. Several processes may share the database.
 * `vectors`: pgvector's storage when the database has the extension, else vectors as bytea rows.
 */
export class PostgresStore implements Store {
  readonly papers: PostgresPapers;
  readonly members: PostgresMembers;
  readonly engagement: PostgresEngagement;
  readonly vectors: VectorStore;
  readonly subscriptions: PostgresSubscriptions;
  readonly digests: PostgresDigests;
  readonly jobs: PostgresJobs;
  readonly searchMatches: PostgresSearchMatches;
  readonly indexWords: PostgresIndexWords;
  readonly apiTokens: PostgresApiTokens;
  readonly authorClaims: PostgresAuthorClaims;
  readonly people: PostgresPeople;
  readonly notifications: PostgresNotifications;
  readonly rateLimits: PgRateLimits;
  readonly sessions: PgSessions;
  readonly waitingWriters: WaitingWriters = { waitedSince: () => false, batchMs: 200 };
  readonly follows: PostgresFollows;
  readonly library: PostgresLibrary;

  constructor(
    private readonly pool: pg.Pool,
    vectors?: VectorStore,
  ) {
    this.papers = new PostgresPapers(pool);
    this.members = new PostgresMembers(pool);
    this.engagement = new PostgresEngagement(pool);
    this.vectors = vectors ?? new ByteaVectorStorage(pool);
    this.subscriptions = new PostgresSubscriptions(pool);
    this.digests = new PostgresDigests(pool);
    this.jobs = new PostgresJobs(pool);
    this.searchMatches = new PostgresSearchMatches(pool, this.papers.keyword, (query, run) =>
      isCostlySearch(query) ? this.papers.costlySearches.run(run) : run(),
    );
    this.indexWords = new PostgresIndexWords(pool, (run) => this.papers.costlySearches.run(run));
    this.apiTokens = new PostgresApiTokens(pool);
    this.authorClaims = new PostgresAuthorClaims(pool);
    this.people = new PostgresPeople(pool);
    this.notifications = new PostgresNotifications(pool);
    this.rateLimits = new PgRateLimits(pool, this.members);
    this.sessions = new PgSessions(pool, this.members);
    this.follows = new PostgresFollows(pool);
    this.library = new PostgresLibrary(pool);
  }

  async dataVersion(): Promise<string> {
    return dataVersion(this.pool);
  }

  /** Rolls back an import still open, then closes every connection. */
  async close(): Promise<void> {
    await this.papers.rollbackOpenImport();
    await this.pool.end();
  }
}
