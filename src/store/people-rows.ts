import type { ApiToken } from './api-tokens.ts';
import type { AuthorClaim, AuthorClaimStatus } from './author-claims.ts';
import type { CommentReply } from './notifications.ts';
import type { MemberComment, PublicMember } from './people.ts';

/** Rows of the people tables as both stores read them (same column names), and what they become. */
export interface ApiTokenRow {
  id: number;
  name: string;
  created_at: string;
  last_used_at: string | null;
}

export const toApiToken = (row: ApiTokenRow): ApiToken => ({
  id: Number(row.id),
  name: row.name,
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
});

export interface AuthorClaimRow {
  id: number;
  author_name: string;
  user_id: number;
  username: string;
  status: AuthorClaimStatus;
  created_at: string;
  decided_at: string | null;
}

export const toAuthorClaim = (row: AuthorClaimRow): AuthorClaim => ({
  id: Number(row.id),
  authorName: row.author_name,
  memberId: Number(row.user_id),
  username: row.username,
  status: row.status,
  createdAt: row.created_at,
  decidedAt: row.decided_at,
});

/** Selects author_claims `c` with the claimant's username. */
export const AUTHOR_CLAIM_COLUMNS =
  'c.id, c.author_name, c.user_id, u.username, c.status, c.created_at, c.decided_at';

export interface PublicMemberRow {
  id: number;
  username: string;
  role: PublicMember['role'];
  created_at: string;
}

export const toPublicMember = (row: PublicMemberRow): PublicMember => ({
  id: Number(row.id),
  username: row.username,
  role: row.role,
  createdAt: row.created_at,
});

/** A deleted account keeps its row under an anonymous name with this password hash (see deleteMember). */
export const DELETED_PASSWORD_HASH = '!';

export interface MemberCommentRow {
  id: number;
  paper_id: string;
  title: string;
  parent_id: number | null;
  body: string;
  created_at: string;
}

export const toMemberComment = (row: MemberCommentRow): MemberComment => ({
  id: Number(row.id),
  paperId: row.paper_id,
  paperTitle: row.title,
  parentId: row.parent_id === null ? null : Number(row.parent_id),
  body: row.body,
  createdAt: row.created_at,
});

export interface CommentReplyRow {
  id: number;
  paper_id: string;
  title: string;
  username: string;
  body: string;
  created_at: string;
}

export const toCommentReply = (row: CommentReplyRow): CommentReply => ({
  commentId: Number(row.id),
  paperId: row.paper_id,
  paperTitle: row.title,
  author: row.username,
  body: row.body,
  createdAt: row.created_at,
});

/** Visible replies by others to comments of member `?1`/`$1` (placeholders filled by the caller). */
export const REPLIES_FROM = (member: string) => `FROM comments mine
  JOIN comments r ON r.parent_id = mine.id
  JOIN users u ON u.id = r.user_id
  JOIN papers p ON p.id = r.paper_id
  WHERE mine.user_id = ${member} AND r.user_id <> ${member} AND r.hidden = 0 AND mine.hidden = 0 AND p.hidden = 0`;
