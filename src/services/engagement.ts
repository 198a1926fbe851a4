/** Members' upvotes and comments. A paper the moderators hid takes neither, whichever route asks. */
import { type Comment, type Member, validateComment } from '../domain/member.ts';
import { NotFoundError, type Store } from '../store/store.ts';
import { FormError } from './accounts.ts';

/** The paper is hidden by the moderators (answered like a missing paper: 404). */
export class HiddenPaperError extends NotFoundError {
  constructor(paperId: string) {
    super(`paper ${paperId}`);
    this.message = `paper ${paperId} has been hidden by the moderators: it takes no upvotes or comments`;
    this.name = 'HiddenPaperError';
  }
}

async function openPaper(store: Store, paperId: string): Promise<void> {
  const paper = await store.papers.getPaper(paperId);
  if (!paper) throw new NotFoundError(`paper ${paperId}`);
  if (paper.hidden) throw new HiddenPaperError(paperId);
}

export async function upvotePaper(
  store: Store,
  member: Member,
  paperId: string,
  upvoted: boolean,
): Promise<{ upvotes: number; upvoted: boolean }> {
  await openPaper(store, paperId);
  return store.engagement.setUpvote(member.id, paperId, upvoted);
}

/** Adds a comment or a reply; FormError (field `body`) for text to fix. */
export async function commentOnPaper(
  store: Store,
  member: Member,
  input: { paperId: string; parentId: number | null; body: string },
): Promise<Comment> {
  await openPaper(store, input.paperId);
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
