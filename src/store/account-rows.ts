import type { MemberRow } from './member-rows.ts';
import type { MemberExport } from './members.ts';

/** The rows of one member's data export, as both stores read them. */
export interface ExportRows {
  member: MemberRow;
  upvotes: Array<{ paper_id: string; created_at: string }>;
  comments: Array<{
    id: number;
    paper_id: string;
    parent_id: number | null;
    body: string;
    created_at: string;
    hidden: number;
  }>;
  submissions: Array<{ paper_id: string; day: string; submitted_at: string | null }>;
  subscriptions: Array<{
    email: string;
    frequency: string;
    topics: string;
    status: string;
    created_at: string;
    confirmed_at: string | null;
  }>;
}

export const toMemberExport = (rows: ExportRows): MemberExport => ({
  profile: {
    username: rows.member.username,
    email: rows.member.email,
    role: rows.member.role,
    createdAt: rows.member.created_at,
    emailVerified: rows.member.email_verified_at !== null,
  },
  upvotes: rows.upvotes.map((row) => ({ paperId: row.paper_id, createdAt: row.created_at })),
  comments: rows.comments.map((row) => ({
    id: row.id,
    paperId: row.paper_id,
    parentId: row.parent_id,
    body: row.body,
    createdAt: row.created_at,
    hidden: row.hidden === 1,
  })),
  submissions: rows.submissions.map((row) => ({
    paperId: row.paper_id,
    day: row.day,
    submittedAt: row.submitted_at,
  })),
  subscriptions: rows.subscriptions.map((row) => ({
    email: row.email,
    frequency: row.frequency,
    topics: JSON.parse(row.topics) as unknown,
    status: row.status,
    createdAt: row.created_at,
    confirmedAt: row.confirmed_at,
  })),
});
