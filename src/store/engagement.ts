import type { Comment, Member } from '../domain/member.ts';

/** What the trending score of one paper is computed from (see domain/trending.ts). */
export interface TrendingCandidate {
  paperId: string;
  listedAt: string;
  importedUpvotes: number;
  voteTimes: string[];
  starsGained: number | null;
}

/** A member's upvote of a paper, at an ISO time. */
export interface MemberUpvote {
  paperId: string;
  createdAt: string;
}

export interface NewComment {
  paperId: string;
  memberId: number;
  parentId: number | null;
  body: string;
}

/** What members do with papers: upvotes, comments and submissions, and what trending is computed from. */
/** A paper's upvotes after a member's vote, and whether the member's upvote is on. */
export interface UpvoteState {
  upvotes: number;
  upvoted: boolean;
}

export interface EngagementStore {
  /** Papers listed or upvoted since `since` (ISO), with what trending needs; stars gained since `starsSince`. */
  trendingCandidates(since: string, starsSince: string): Promise<TrendingCandidate[]>;

  /**
   * Sets or takes back a member's upvote; returns the paper's new count. NotFoundError for an unknown paper,
   * HiddenPaperError for a hidden one (checked in the same transaction as the vote, so a hide cannot slip between).
   */
  setUpvote(memberId: number, paperId: string, upvoted: boolean): Promise<UpvoteState>;
  /** Which of these papers the member has upvoted. */
  upvotedBy(memberId: number, paperIds: string[]): Promise<Set<string>>;
  /** The member's latest `limit` upvotes, oldest first. */
  recentUpvotes(memberId: number, limit: number): Promise<MemberUpvote[]>;

  /**
   * NotFoundError for an unknown paper or a parent comment not on the same paper, HiddenPaperError for a hidden
   * paper (checked in the comment's transaction). Replies to replies attach to the top.
   */
  addComment(comment: NewComment): Promise<Comment>;
  listComments(paperId: string, options?: { includeHidden?: boolean }): Promise<Comment[]>;
  setCommentHidden(id: number, hidden: boolean): Promise<void>;
  /** Papers a member listed since `since` (ISO), for the daily submission limit. */
  countSubmissionsSince(memberId: number, since: string): Promise<number>;
  /** Lists a paper (written already with writeBatch) on a day as submitted by a member; false when already listed. */
  listSubmission(paperId: string, day: string, member: Member, at: string): Promise<boolean>;
}
