import type { ApiTokenStore } from './api-tokens.ts';
import type { AuthorClaimStore } from './author-claims.ts';
import type { DigestStore } from './digests.ts';
import type { EngagementStore } from './engagement.ts';
import type { FollowsRepository } from './follows.ts';
import type { IndexWords } from './index-words.ts';
import type { JobStore } from './jobs.ts';
import type { LibraryRepository } from './library.ts';
import type { MemberStore } from './members.ts';
import type { NotificationStore } from './notifications.ts';
import type { PaperStore } from './papers.ts';
import type { PeopleStore } from './people.ts';
import type { RateLimits } from './rate-limits.ts';
import type { SearchMatches } from './search-matches.ts';
import type { Sessions } from './sessions.ts';
import type { SubscriptionStore } from './subscriptions.ts';
import type { VectorStore } from './vectors.ts';
import type { WaitingWriters } from './waiting-writers.ts';

export class DuplicateError extends Error {
  constructor(readonly field: 'username' | 'email') {
    super(`that ${field} is already taken`);
    this.name = 'DuplicateError';
  }
}

export class NotFoundError extends Error {
  constructor(what: string) {
    super(`${what} not found`);
    this.name = 'NotFoundError';
  }
}

/** The paper is hidden by the moderators: it takes no upvotes or comments (answered like a missing paper: 404). */
export class HiddenPaperError extends NotFoundError {
  constructor(paperId: string) {
    super(`paper ${paperId}`);
    this.message = `paper ${paperId} has been hidden by the moderators: it takes no upvotes or comments`;
    this.name = 'HiddenPaperError';
  }
}

/**
 * The database stayed busy (another process writing, e.g. an import) past the time a write may wait for it, or too
 * many searches are waiting already. Nothing was written; the same call may succeed a moment later.
 */
export class StoreUnavailableError extends Error {
  constructor(
    readonly retryAfterSeconds: number,
    busyWith: 'writing' | 'search' = 'writing',
  ) {
    super(
      busyWith === 'search'
        ? 'The site has too many searches waiting to be answered; please try again in a moment.'
        : 'The site is busy writing (an import may be running). Nothing was changed; please try again in a moment.',
    );
    this.name = 'StoreUnavailableError';
  }
}

/**
 * The persistence contract. Implemented by `store/sqlite` (embedded default) and `store/postgres`: nothing
 * database-specific crosses this boundary.
 */
export interface Store {
  readonly papers: PaperStore;
  readonly members: MemberStore;
  readonly vectors: VectorStore;
  readonly engagement: EngagementStore;
  readonly subscriptions: SubscriptionStore;
  readonly digests: DigestStore;
  readonly jobs: JobStore;
  /** What a search matches by words, exactly: counts, non-relevance orders, membership. */
  readonly searchMatches: SearchMatches;
  /** The keyword index's vocabulary, for "did you mean". */
  readonly indexWords: IndexWords;
  /** Personal API tokens. */
  readonly apiTokens: ApiTokenStore;
  /** Members' claims to author pages. */
  readonly authorClaims: AuthorClaimStore;
  /** Members as the public sees them (member pages). */
  readonly people: PeopleStore;
  /** What members' notifications are made of, and how far they read them. */
  readonly notifications: NotificationStore;
  readonly rateLimits: RateLimits;
  readonly sessions: Sessions;
  readonly waitingWriters: WaitingWriters;
  /** What members follow: authors, organizations and saved searches (store/follows.ts). */
  readonly follows: FollowsRepository;
  /** Members' saves under tags, collections, "not interested" marks, feed tokens, personal digests (store/library.ts). */
  readonly library: LibraryRepository;

  /** Changes whenever the data changes (a write through this store or, for SQLite, another connection). */
  dataVersion(): Promise<string>;
  close(): Promise<void>;
}
