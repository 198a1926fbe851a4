/** What admins do to keep the site clean: hide (or show again) a paper or a comment. */
import type { Store } from '../store/store.ts';

export async function setPaperHidden(store: Store, paperId: string, hidden: boolean): Promise<void> {
  await store.papers.setPaperHidden(paperId, hidden);
}

export async function setCommentHidden(store: Store, commentId: number, hidden: boolean): Promise<void> {
  await store.engagement.setCommentHidden(commentId, hidden);
}
