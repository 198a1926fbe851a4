/** A reply to one of the member's comments. */
export interface CommentReply {
  commentId: number;
  paperId: string;
  paperTitle: string;
  /** Username of who replied. */
  author: string;
  body: string;
  createdAt: string;
}

/** What notifications are made of, and how far each member has read them. */
export interface NotificationStore {
  /** Visible replies by others to the member's comments, newest first. */
  repliesTo(memberId: number, limit: number): Promise<CommentReply[]>;
  /** How many of those were made after `since` (ISO), or in all when null. */
  countRepliesSince(memberId: number, since: string | null): Promise<number>;
  /** When the member last marked their notifications read, or null. */
  readAt(memberId: number): Promise<string | null>;
  /** Notes that everything up to `at` is read (a time never moves back). */
  markRead(memberId: number, at: string): Promise<void>;
}
