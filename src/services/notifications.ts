/**
 * A member's notifications, gathered from sources. Each source knows one kind of news (replies to the member's
 * comments here; new papers by followed authors plug in the same way, by adding a source to NOTIFICATION_SOURCES).
 * A notification is unread when it is newer than the time the member last marked everything read.
 */
import type { Member } from '../domain/member.ts';
import type { Store } from '../store/store.ts';

export interface Notification {
  kind: string;
  /** When it happened (ISO): what is newer than the member's last read is unread. */
  at: string;
  /** A local path to what it is about. */
  href: string;
  /** One line, e.g. "bob replied on Paper title". */
  summary: string;
  /** An excerpt (a reply's text), or null. */
  excerpt: string | null;
}

export interface NotificationSource {
  readonly kind: string;
  /** The member's newest notifications of this kind, newest first. */
  recent(store: Store, member: Member, limit: number): Promise<Notification[]>;
  /** How many of this kind happened after `since` (all when null). */
  countSince(store: Store, member: Member, since: string | null): Promise<number>;
}

const EXCERPT_LENGTH = 280;

export const commentReplies: NotificationSource = {
  kind: 'reply',
  async recent(store, member, limit) {
    const replies = await store.notifications.repliesTo(member.id, limit);
    return replies.map((reply) => ({
      kind: 'reply',
      at: reply.createdAt,
      href: `/papers/${reply.paperId}#comment-${reply.commentId}`,
      summary: `${reply.author} replied to your comment on “${reply.paperTitle}”`,
      excerpt: reply.body.length > EXCERPT_LENGTH ? `${reply.body.slice(0, EXCERPT_LENGTH)}…` : reply.body,
    }));
  },
  countSince: (store, member, since) => store.notifications.countRepliesSince(member.id, since),
};

/** Every kind of notification the site makes. */
export const NOTIFICATION_SOURCES: readonly NotificationSource[] = [commentReplies];

export interface NotificationList {
  items: Array<Notification & { unread: boolean }>;
  readAt: string | null;
}

export async function listNotifications(
  store: Store,
  member: Member,
  limit = 50,
  sources: readonly NotificationSource[] = NOTIFICATION_SOURCES,
): Promise<NotificationList> {
  const [readAt, lists] = await Promise.all([
    store.notifications.readAt(member.id),
    Promise.all(sources.map((source) => source.recent(store, member, limit))),
  ]);
  const items = lists
    .flat()
    .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))
    .slice(0, limit)
    .map((item) => ({ ...item, unread: readAt === null || item.at > readAt }));
  return { items, readAt };
}

export async function unreadNotificationCount(
  store: Store,
  member: Member,
  sources: readonly NotificationSource[] = NOTIFICATION_SOURCES,
): Promise<number> {
  const readAt = await store.notifications.readAt(member.id);
  const counts = await Promise.all(sources.map((source) => source.countSince(store, member, readAt)));
  return counts.reduce((sum, count) => sum + count, 0);
}

export async function markNotificationsRead(store: Store, member: Member, now = new Date()): Promise<void> {
  await store.notifications.markRead(member.id, now.toISOString());
}
