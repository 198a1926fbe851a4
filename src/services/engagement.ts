/** Members' upvotes and comments. A paper the moderators hid takes neither, whichever route asks. */

import { type Comment, type Member, validateComment } from '../domain/member.ts';
import type { UpvoteState } from '../store/engagement.ts';
import type { Store } from '../store/store.ts';
import { FormError } from './accounts.ts';

// The store refuses a hidden paper in the same transaction as the vote or comment (HiddenPaperError, a 404).
export { HiddenPaperError } from '../store/store.ts';

export async function upvotePaper(
  store: Store,
  member: Member,
  paperId: string,
  upvoted: boolean,
): Promise<UpvoteState> {
  return store.engagement.setUpvote(member.id, paperId, upvoted);
}

/** Adds a comment or a reply; FormError (field `body`) for text to fix. */
export async function commentOnPaper(
  store: Store,
  member: Member,
  input: { paperId: string; parentId: number | null; body: string },
): Promise<Comment> {
  const body = input.body.trim();
  const problem = validateComment(body);
  if (problem) throw new FormError({ body: problem });
  return store.engagement.addComment({
    paperId: input.paperId,
    memberId: member.id,
    parentId: input.parentId,
    body,
  });
}
