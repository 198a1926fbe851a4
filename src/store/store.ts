import type { Comment, Member, Role } from '../domain/member.ts';
import type { Paper, PaperRecord } from '../domain/paper.ts';
import type { SearchQuery } from '../domain/search-query.ts';
import type {
  DigestFrequency,
  DigestTopics,
  Subscription,
  SubscriptionStatus,
} from '../domain/subscription.ts';
import type { SearchMatches } from './search-matches.ts';

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

export interface PaperText {
  id: string;
  /** The paper's place in the store's stable order (its doc_id): a page starts after the last one seen. */
  position: number;
  title: string;
  abstract: string;
}

export interface StoredVector {
  seq: number;
  id: string;
  vector: Float32Array;
}

/** A paper near a query vector: cosine similarity, 1 for the same direction. */
export interface VectorHit {
  id: string;
  score: number;
}

/**
 * Where nearest vectors are found: in each process's own vector index, loaded through `readVectors`
 * ('in-process'), or by the database itself (PostgreSQL with the pgvector extension, an HNSW index).
 */
export type VectorSearchBackend = 'in-process' | 'pgvector';

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

export interface NewMember {
  username: string;
  email: string;
  passwordHash: string;
  role: Role;
  /** Members made by an operator (CLI) need no verification mail; sign-ups start unverified. */
  emailVerified?: boolean;
}

/** Everything the site keeps about one member, for the member's own download (GET /account/export). */
export interface MemberExport {
  profile: { username: string; email: string; role: Role; createdAt: string; emailVerified: boolean };
  upvotes: Array<{ paperId: string; createdAt: string }>;
  comments: Array<{
    id: number;
    paperId: string;
    parentId: number | null;
    body: string;
    createdAt: string;
    hidden: boolean;
  }>;
  submissions: Array<{ paperId: string; day: string; submittedAt: string | null }>;
  subscriptions: Array<{
    email: string;
    frequency: string;
    topics: unknown;
    status: string;
    createdAt: string;
    confirmedAt: string | null;
  }>;
}

export interface RateLimitResult {
  allowed: boolean;
  /** Seconds until the window resets (0 when allowed). */
  retryAfterSeconds: number;
}

/** What the trending score of one paper is computed from (see domain/trending.ts). */
export interface TrendingCandidate {
  paperId: string;
  listedAt: string;
  importedUpvotes: number;
  voteTimes: string[];
  starsGained: number | null;
}

export interface NewComment {
  paperId: string;
  memberId: number;
  parentId: number | null;
  body: string;
}

// ---- Subscriptions and digests ----

export interface NewSubscription {
  email: string;
  frequency: DigestFrequency;
  topics: DigestTopics;
  memberId: number | null;
}

export interface SubscriptionChange {
  frequency?: DigestFrequency;
  topics?: DigestTopics;
  status?: SubscriptionStatus;
  memberId?: number | null;
  bounceReason?: string | null;
}

/** pending: claimed for sending (or deferred after a temporary failure); empty: nothing new to send. */
export type DigestSendStatus = 'pending' | 'sent' | 'rejected' | 'empty';

/** One row of the send log, unique per (subscription, period): the guard against sending twice. */
export interface DigestSend {
  subscriptionId: number;
  period: string;
  status: DigestSendStatus;
  paperIds: string[];
  messageId: string | null;
  attempts: number;
  lastError: string | null;
  updatedAt: string;
}

/** A digest claimed for sending: its papers and Message-ID are fixed before the first attempt. */
export interface DigestClaim {
  subscriptionId: number;
  period: string;
  status: 'pending' | 'empty';
  paperIds: string[];
  messageId: string | null;
}

export type DigestOutcome =
  | { status: 'sent' }
  | { status: 'rejected'; error: string }
  | { status: 'pending'; error: string };

/** A subscription due for a period's digest, with its unfinished claim when an earlier run left one. */
export interface DueSubscription {
  subscription: Subscription;
  claim: DigestSend | null;
}

export interface DigestRunCounts {
  sent: number;
  empty: number;
  rejected: number;
  deferred: number;
}

export interface DigestRun extends DigestRunCounts {
  id: number;
  period: string;
  status: 'running' | 'finished' | 'failed';
  startedAt: string;
  finishedAt: string | null;
  note: string | null;
}

export interface SubscriptionCount {
  status: SubscriptionStatus;
  frequency: DigestFrequency;
  topical: boolean;
  count: number;
}

/** A paper's place in position order, its id and when its metadata last changed (ISO, when known). */
export interface PaperLocation {
  position: number;
  id: string;
  updatedAt: string | null;
}

/**
 * The persistence contract. Implemented by `store/sqlite` (embedded default) and `store/postgres`: nothing
 * database-specific crosses this boundary.
 */
export interface Store {
  /** Writes one batch atomically, committing immediately; a cursor is saved in the same transaction. */
  writeBatch(records: PaperRecord[], cursor?: ImportCursor): Promise<WriteResult>;
  /** Starts an all-or-nothing import spanning many batches. Only one may be open at a time. */
  beginImport(): Promise<ImportTransaction>;
  getImportCursor(key: string): Promise<string | null>;
  clearImportCursor(key: string): Promise<void>;

  getPaper(id: string): Promise<Paper | null>;
  /** Papers by id, in the order given; unknown ids are left out. */
  getPapers(ids: string[]): Promise<Paper[]>;
  /** Sort 'upvotes' breaks ties by listing day and order; 'newest' is by listing day, then arXiv date. */
  listPapers(filter: PaperFilter, options?: ListOptions): Promise<Paper[]>;
  countPapers(filter?: PaperFilter): Promise<number>;
  /** Changes whenever the data changes (a write through this store or, for SQLite, another connection). */
  dataVersion(): Promise<string>;
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
  /** The site's embedding model, serialized, or null before `dailypapers index --embed`. */
  getEmbeddingModel(): Promise<{ model: string; data: Buffer } | null>;
  /** The name of the site's embedding model without its data (cheap enough to ask every minute), or null. */
  embeddingModelName(): Promise<string | null>;
  /** Installs a model; vectors of any other model are dropped with it. */
  setEmbeddingModel(model: string, data: Buffer): Promise<void>;
  /** Title and abstract of every paper in position order, a page at a time: those after `after` (0: from the start). */
  listPaperTexts(after: number, limit: number): Promise<PaperText[]>;
  /**
   * Papers after position `after` with no vector from `model` yet (new, changed, or embedded by an older model),
   * oldest first.
   */
  papersToEmbed(model: string, after: number, limit: number): Promise<PaperText[]>;
  countPapersToEmbed(model: string): Promise<number>;
  saveVectors(model: string, vectors: Array<{ id: string; vector: Float32Array }>): Promise<void>;
  /** Vectors of `model` written after `afterSeq`, in write order: a reader keeps up by remembering the last seq. */
  readVectors(model: string, afterSeq: number, limit: number): Promise<StoredVector[]>;
  /** The saved partitioning (approximate index) of `model`'s vectors, or null; dropped when the model changes. */
  getVectorPartitions(model: string): Promise<Buffer | null>;
  saveVectorPartitions(model: string, data: Buffer): Promise<void>;
  /** Whether semantic search should ask the store (`nearestVectors`) or keep an index in process. */
  readonly vectorSearch: VectorSearchBackend;
  /** What a search matches by words, exactly: counts, non-relevance orders, membership. */
  readonly searchMatches: SearchMatches;
  /**
   * `model`'s vectors nearest `vector` by cosine, best first, without `exclude`: approximate (HNSW) with
   * pgvector, else an exact scan meant for tests and small sites.
   */
  nearestVectors(model: string, vector: Float32Array, limit: number, exclude?: string): Promise<VectorHit[]>;
  /** A paper's vector from `model`, or null when it has none. */
  getVector(model: string, id: string): Promise<Float32Array | null>;
  /** What search needs to order hits without loading whole papers: upvotes and the listing (else arXiv) day. */
  searchSignals(ids: string[]): Promise<Map<string, SearchSignals>>;

  /** Papers listed or upvoted since `since` (ISO), with what trending needs; stars gained since `starsSince`. */
  trendingCandidates(since: string, starsSince: string): Promise<TrendingCandidate[]>;

  createMember(member: NewMember): Promise<Member>;
  getMember(id: number): Promise<Member | null>;
  /** By username or email, case-insensitive, with the password hash for checking. */
  findMemberForLogin(login: string): Promise<(Member & { passwordHash: string }) | null>;
  setPasswordHash(memberId: number, passwordHash: string): Promise<void>;
  countMembers(): Promise<number>;
  /** Marks the email verified when the member still has `email` and has not verified it; false otherwise. */
  verifyMemberEmail(memberId: number, email: string, now: string): Promise<boolean>;
  hasAdmin(): Promise<boolean>;
  /** While the site has no admin, makes `tokenHash` the one open admin-setup token (replacing an older one). */
  openAdminSetup(tokenHash: string): Promise<boolean>;
  /**
   * Creates an admin with the open setup token and spends the token, atomically: of concurrent claims (any
   * process) at most one succeeds. Null when the token is not the open one; DuplicateError leaves it open.
   */
  claimAdminSetup(tokenHash: string, member: Omit<NewMember, 'role'>): Promise<Member | null>;
  /**
   * Deletes an account: its sessions and subscriptions go; its comments, submissions and votes stay, attributed to
   * `anonymousName` (the row keeps no email or password).
   */
  deleteMember(memberId: number, anonymousName: string): Promise<void>;
  exportMember(memberId: number): Promise<MemberExport | null>;

  createSession(tokenHash: string, memberId: number, expiresAt: string): Promise<void>;
  /** The member of an unexpired session. */
  getSessionMember(tokenHash: string, now: string): Promise<Member | null>;
  deleteSession(tokenHash: string): Promise<void>;
  /** Ends a member's other sessions (after a password change). */
  deleteOtherSessions(memberId: number, keepTokenHash: string): Promise<void>;

  /** Counts one hit against `key` in a fixed window; shared by every process using this database. */
  hitRateLimit(key: string, limit: number, windowSeconds: number, now: Date): Promise<RateLimitResult>;
  /** Deletes rate-limit counters whose window started before `before`; returns how many. */
  purgeRateLimits(before: Date): Promise<number>;

  /** Sets or takes back a member's upvote; returns the paper's new count. NotFoundError for an unknown paper. */
  setUpvote(
    memberId: number,
    paperId: string,
    upvoted: boolean,
  ): Promise<{ upvotes: number; upvoted: boolean }>;
  /** Which of these papers the member has upvoted. */
  upvotedBy(memberId: number, paperIds: string[]): Promise<Set<string>>;

  /** NotFoundError for an unknown paper or a parent comment not on the same paper. Replies to replies attach to the top. */
  addComment(comment: NewComment): Promise<Comment>;
  listComments(paperId: string, options?: { includeHidden?: boolean }): Promise<Comment[]>;
  setCommentHidden(id: number, hidden: boolean): Promise<void>;
  /** Papers a member listed since `since` (ISO), for the daily submission limit. */
  countSubmissionsSince(memberId: number, since: string): Promise<number>;
  /** Lists a paper (written already with writeBatch) on a day as submitted by a member; false when already listed. */
  listSubmission(paperId: string, day: string, member: Member, at: string): Promise<boolean>;

  // ---- Subscriptions and digests ----

  /** DuplicateError('email') when the address already has a subscription. */
  createSubscription(subscription: NewSubscription, now: string): Promise<Subscription>;
  getSubscription(id: number): Promise<Subscription | null>;
  /** Case-insensitive. */
  findSubscriptionByEmail(email: string): Promise<Subscription | null>;
  /** NotFoundError for an unknown id. Becoming active sets confirmedAt. */
  updateSubscription(id: number, change: SubscriptionChange, now: string): Promise<Subscription>;
  countSubscriptions(): Promise<SubscriptionCount[]>;

  /** Active subscriptions of a frequency with id > afterId that have no send-log row for `period` or a pending one. */
  dueSubscriptions(
    frequency: DigestFrequency,
    period: string,
    afterId: number,
    limit: number,
  ): Promise<DueSubscription[]>;
  /** Papers each subscription was sent (or is being sent) in digests logged since `since` (ISO). */
  sentPaperIds(subscriptionIds: number[], since: string): Promise<Map<number, Set<string>>>;
  /** Writes claims in one transaction; a (subscription, period) already logged is left as it is. */
  claimDigests(claims: DigestClaim[], now: string): Promise<void>;
  /** Records an attempt's outcome; 'rejected' also marks the subscription bounced, in the same transaction. */
  recordDigestOutcome(
    subscriptionId: number,
    period: string,
    outcome: DigestOutcome,
    now: string,
  ): Promise<void>;
  getDigestSend(subscriptionId: number, period: string): Promise<DigestSend | null>;

  startDigestRun(period: string, now: string): Promise<number>;
  finishDigestRun(
    id: number,
    result: DigestRunCounts & { status: 'finished' | 'failed'; note: string | null },
    now: string,
  ): Promise<void>;
  listDigestRuns(limit: number): Promise<DigestRun[]>;

  /**
   * Takes a named lock until `expiresAt` when it is free, expired, already ours, or held by `replacing` (an
   * owner the caller knows is dead). Returns the owner holding it afterwards.
   */
  tryLock(
    name: string,
    owner: string,
    expiresAt: string,
    now: string,
    replacing?: string,
  ): Promise<{ acquired: boolean; holder: string | null }>;
  releaseLock(name: string, owner: string): Promise<void>;

  /** The stored value of a site setting, storing `value` first when there is none (e.g. a generated secret). */
  ensureSetting(key: string, value: string): Promise<string>;

  close(): Promise<void>;
}
