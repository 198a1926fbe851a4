/** What a member's public page (`/users/{name}`) shows. */
import { collectionPath } from '../domain/library.ts';
import { isUsernameShaped } from '../domain/member.ts';
import type { Paper } from '../domain/paper.ts';
import type { MemberComment, PublicMember } from '../store/people.ts';
import type { Store } from '../store/store.ts';

/** A public collection as a member page lists it. */
export interface PublicCollectionSummary {
  title: string;
  /** Local path of the collection's page. */
  href: string;
  papers: number;
}

/** The member's public collections, for their page (none: the page shows no section). */
export async function publicCollectionsOf(
  store: Store,
  member: PublicMember,
): Promise<PublicCollectionSummary[]> {
  const tags = await store.library.tags(member.id);
  return tags.flatMap(({ papers, collection }) =>
    collection?.visibility === 'public'
      ? [{ title: collection.title, href: collectionPath(collection), papers }]
      : [],
  );
}

export interface MemberPage {
  member: PublicMember;
  /** Author names the member was approved for. */
  authorOf: string[];
  submissions: Paper[];
  submissionCount: number;
  comments: MemberComment[];
  commentCount: number;
  collections: PublicCollectionSummary[];
}

const SHOWN = 20;

/** Null for an unknown (or deleted) member. */
export async function loadMemberPage(store: Store, username: string): Promise<MemberPage | null> {
  if (!isUsernameShaped(username)) return null;
  const member = await store.people.memberByUsername(username);
  if (!member) return null;
  const submitted = { submitter: member.username };
  const [claims, submissions, submissionCount, comments, commentCount, collections] = await Promise.all([
    store.authorClaims.ofMember(member.id),
    store.papers.listPapers(submitted, { sort: 'newest', limit: SHOWN }),
    store.papers.countPapers(submitted),
    store.people.visibleComments(member.id, SHOWN, 0),
    store.people.countVisibleComments(member.id),
    publicCollectionsOf(store, member),
  ]);
  return {
    member,
    authorOf: claims.filter((claim) => claim.status === 'approved').map((claim) => claim.authorName),
    submissions,
    submissionCount,
    comments,
    commentCount,
    collections,
  };
}
