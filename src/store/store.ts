import type { Comment, Member, Role } from '../domain/member.ts';
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

export interface NewMember {
  username: string;
  email: string;
  passwordHash: string;
  role: Role;
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
  /** Papers by id, in the order given; unknown ids are left out. */
  getPapers(ids: string[]): Promise<Paper[]>;
  /** Sort 'upvotes' breaks ties by listing day and order; 'newest' is by listing day, then arXiv date. */
  listPapers(filter: PaperFilter, options?: ListOptions): Promise<Paper[]>;
  countPapers(filter?: PaperFilter): Promise<number>;
  setPaperHidden(id: string, hidden: boolean): Promise<void>;
  /** The newest listing day at or before `day` (or overall when absent), or null for an empty store. */
  latestDay(atOrBefore?: string): Promise<string | null>;
  /** The nearest listing day strictly before / after `day`. */
  adjacentDays(day: string): Promise<{ previous: string | null; next: string | null }>;
  /** Ids matching every word (stemmed) in title or abstract, best first (BM25, title weighted). */
  searchKeyword(
    words: string[],
    options: { limit: number; offset: number },
  ): Promise<{ ids: string[]; total: number }>;

  /** Papers listed or upvoted since `since` (ISO), with what trending needs; stars gained since `starsSince`. */
  trendingCandidates(since: string, starsSince: string): Promise<TrendingCandidate[]>;

  createMember(member: NewMember): Promise<Member>;
  getMember(id: number): Promise<Member | null>;
  /** By username or email, case-insensitive, with the password hash for checking. */
  findMemberForLogin(login: string): Promise<(Member & { passwordHash: string }) | null>;
  setPasswordHash(memberId: number, passwordHash: string): Promise<void>;
  countMembers(): Promise<number>;

  createSession(tokenHash: string, memberId: number, expiresAt: string): Promise<void>;
  /** The member of an unexpired session. */
  getSessionMember(tokenHash: string, now: string): Promise<Member | null>;
  deleteSession(tokenHash: string): Promise<void>;
  /** Ends a member's other sessions (after a password change). */
  deleteOtherSessions(memberId: number, keepTokenHash: string): Promise<void>;

  /** Counts one hit against `key` in a fixed window; shared by every process using this database. */
  hitRateLimit(key: string, limit: number, windowSeconds: number, now: Date): Promise<RateLimitResult>;

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

  close(): Promise<void>;
}
