import type { Comment } from '../domain/member.ts';
import type { MemberUpvote, TrendingCandidate } from './engagement.ts';

/** A comments row joined with its author's username. */
export interface CommentRow {
  id: number;
  paper_id: string;
  parent_id: number | null;
  username: string;
  body: string;
  created_at: string;
  hidden: number;
}

export const toComment = (row: CommentRow): Comment => ({
  id: row.id,
  paperId: row.paper_id,
  parentId: row.parent_id,
  author: row.username,
  body: row.body,
  createdAt: row.created_at,
  hidden: row.hidden === 1,
});

/** A row of the trending candidates query, but for its vote times (each engine aggregates them its own way). */
export interface TrendingRow {
  id: string;
  listed_at: string;
  imported_upvotes: number;
  stars_now: number | null;
  stars_then: number | null;
}

export const toTrendingCandidate = (row: TrendingRow, voteTimes: string[]): TrendingCandidate => ({
  paperId: row.id,
  listedAt: row.listed_at,
  importedUpvotes: row.imported_upvotes,
  voteTimes,
  starsGained: row.stars_now !== null && row.stars_then !== null ? row.stars_now - row.stars_then : null,
});

/** A votes row of the recent upvotes query. */
export interface UpvoteRow {
  paper_id: string;
  created_at: string;
}

export const toMemberUpvote = (row: UpvoteRow): MemberUpvote => ({
  paperId: row.paper_id,
  createdAt: row.created_at,
});

/** A limit as the SQL `LIMIT` takes it: a whole number, at least 0 (0 for one that is not a finite number). */
export const rowLimit = (limit: number): number =>
  Number.isFinite(limit) ? Math.max(0, Math.floor(limit)) : 0;
