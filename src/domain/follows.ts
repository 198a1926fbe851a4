/** What a member follows: authors, organizations, and topics (saved searches in the query language). */

export const FOLLOW_KINDS = ['author', 'organization', 'topic'] as const;
export type FollowKind = (typeof FOLLOW_KINDS)[number];

export const MAX_FOLLOWS = 500;
export const MAX_FOLLOW_TARGET = 500;
export const MAX_TOPIC_LABEL = 80;

export interface Follow {
  id: number;
  kind: FollowKind;
  /** The author's name, the organization's handle, or the topic's query. */
  target: string;
  /** What pages call it: the name, or the topic's label. */
  label: string;
  createdAt: string;
}

export interface NewFollow {
  kind: FollowKind;
  target: string;
  label: string;
}

export function isFollowKind(value: unknown): value is FollowKind {
  return typeof value === 'string' && (FOLLOW_KINDS as readonly string[]).includes(value);
}

/** Where a followed thing's own page is. */
export function followHref(follow: Pick<Follow, 'kind' | 'target'>): string {
  const path = encodeURIComponent(follow.target);
  if (follow.kind === 'author') return `/authors/${path}`;
  if (follow.kind === 'organization') return `/orgs/${path}`;
  return `/search?q=${path}`;
}
