/** Following authors, organizations and topics (saved searches). */

import { type FollowKind, MAX_FOLLOW_TARGET, MAX_FOLLOWS, MAX_TOPIC_LABEL } from '../domain/follows.ts';
import type { Member } from '../domain/member.ts';
import { parseSearchQuery, SearchQueryError } from '../domain/search-query.ts';
import type { FollowResult } from '../store/follows.ts';
import { NotFoundError, type Store } from '../store/store.ts';
import { FormError } from './accounts.ts';
import { cleanText } from './personal-input.ts';

export interface FollowInput {
  kind: FollowKind;
  /** The author's name, the organization's handle, or the search query. */
  target: unknown;
  /** A topic's label; the query itself when absent. */
  label?: unknown;
}

async function checkTarget(store: Store, kind: FollowKind, target: string): Promise<void> {
  if (kind === 'topic') {
    try {
      const query = parseSearchQuery(target);
      if (query.paperId) throw new FormError({ query: 'a topic is a search, not one paper' });
    } catch (error) {
      if (error instanceof SearchQueryError) throw new FormError({ query: error.message });
      throw error;
    }
    return;
  }
  const count = await store.papers.countPapers(
    kind === 'author' ? { author: target } : { organization: target },
  );
  if (count === 0) throw new NotFoundError(`${kind} “${target}”`);
}

/** Follows (again is fine: the follow already there is returned). FormError for input to fix. */
export async function follow(
  store: Store,
  member: Member,
  input: FollowInput,
  now = new Date(),
): Promise<FollowResult> {
  const field = input.kind === 'topic' ? 'query' : 'name';
  const target = cleanText(field, input.target, MAX_FOLLOW_TARGET, { required: true });
  const label =
    input.kind === 'topic'
      ? cleanText('label', input.label, MAX_TOPIC_LABEL) || target.slice(0, MAX_TOPIC_LABEL)
      : target;
  const existing = await store.follows.find(member.id, input.kind, target);
  if (existing) return { follow: existing, created: false };
  await checkTarget(store, input.kind, target);
  if ((await store.follows.count(member.id)) >= MAX_FOLLOWS)
    throw new FormError({ [field]: `you follow ${MAX_FOLLOWS} things already: unfollow some first` });
  return store.follows.follow(member.id, { kind: input.kind, target, label }, now.toISOString());
}

/** NotFoundError when the member has no such follow. */
export async function unfollow(store: Store, member: Member, id: unknown): Promise<void> {
  const number = typeof id === 'string' ? Number(id) : id;
  if (
    typeof number !== 'number' ||
    !Number.isSafeInteger(number) ||
    !(await store.follows.unfollow(member.id, number))
  )
    throw new NotFoundError('follow');
}
