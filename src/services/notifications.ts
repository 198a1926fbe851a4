/**
 * A member's notifications, gathered from sources. Each source knows one kind of news (replies to the member's
 * comments, new papers by the authors they follow; another kind is another entry of NOTIFICATION_SOURCES).
 * A notification is unread when it is newer than the time the member last marked everything read.
 */
import type { Member } from '../domain/member.ts';
import type { Paper } from '../domain/paper.ts';
import type { Store } from '../store/store.ts';
import { rememberUnlessFailed } from './promise-cache.ts';
import { type HeldPapers, holdPapers, papersOfStamps } from './stamped-papers.ts';

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

/** At most this many followed authors are looked at, each for at most this many of their newest papers. */
const FOLLOWED_AUTHORS_CHECKED = 20;
const PAPERS_PER_AUTHOR = 10;

/** When a paper came out here: its listing, else its arXiv date. */
const paperTime = (paper: Paper) =>
  paper.daily?.submittedAt ?? (paper.daily ? `${paper.daily.day}T00:00:00.000Z` : paper.publishedAt);

/**
 * The news of followed authors by store, data version and member: the header's unread count asks on every member
 * page, and nothing it reads changes without a new data version.
 */
const followedNews = new WeakMap<Store, Map<string, Promise<Notification[]>>>();
const MAX_REMEMBERED_NEWS = 1_000;

async function followedAuthorsNews(store: Store, member: Member): Promise<Notification[]> {
  const key = `${await store.dataVersion()}|${member.id}`;
  let remembered = followedNews.get(store);
  if (!remembered) {
    remembered = new Map();
    followedNews.set(store, remembered);
  }
  if (remembered.size >= MAX_REMEMBERED_NEWS && !remembered.has(key)) remembered.clear();
  return rememberUnlessFailed(remembered, key, () => readFollowedAuthorsNews(store, member));
}

/** Each author's newest papers as last read, with the change times they were read at. */
const authorsPapers = new WeakMap<Store, Map<string, HeldPapers>>();
const MAX_REMEMBERED_AUTHORS = 10_000;

/** An author's newest papers: only those new or whose metadata changed are read again, not after a vote. */
async function newestPapersBy(store: Store, author: string): Promise<Paper[]> {
  const stamps = await store.papers.listPaperStamps({ author }, { sort: 'newest', limit: PAPERS_PER_AUTHOR });
  let remembered = authorsPapers.get(store);
  if (!remembered) {
    remembered = new Map();
    authorsPapers.set(store, remembered);
  }
  const papers = await papersOfStamps(store, stamps, remembered.get(author) ?? null);
  if (remembered.size >= MAX_REMEMBERED_AUTHORS) remembered.clear();
  remembered.set(author, holdPapers(papers, stamps));
  return papers;
}

/** Papers by the authors the member follows, that came out after the follow. */
async function readFollowedAuthorsNews(store: Store, member: Member): Promise<Notification[]> {
  const follows = (await store.follows.list(member.id))
    .filter((follow) => follow.kind === 'author')
    .slice(0, FOLLOWED_AUTHORS_CHECKED);
  const lists = await Promise.all(
    follows.map(async (follow) => {
      const papers = await newestPapersBy(store, follow.target);
      return papers.flatMap((paper) => {
        const at = paperTime(paper);
        if (!at || at <= follow.createdAt) return [];
        return [
          {
            kind: 'followed-author',
            at,
            href: `/papers/${paper.id}`,
            summary: `New paper by ${follow.label}, whom you follow: “${paper.title}”`,
            excerpt: null,
          },
        ];
      });
    }),
  );
  const byPaper = new Map(lists.flat().map((item) => [item.href, item]));
  return [...byPaper.values()].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
}

export const followedAuthorPapers: NotificationSource = {
  kind: 'followed-author',
  recent: async (store, member, limit) => (await followedAuthorsNews(store, member)).slice(0, limit),
  countSince: async (store, member, since) =>
    (await followedAuthorsNews(store, member)).filter((item) => since === null || item.at > since).length,
};

/** Every kind of notification the site makes. */
export const NOTIFICATION_SOURCES: readonly NotificationSource[] = [commentReplies, followedAuthorPapers];

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
