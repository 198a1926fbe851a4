import type { AuthorClaim } from '../../store/author-claims.ts';
import { html, type SafeHtml } from '../../text/html.ts';
import type { PageContext } from './layout.ts';
import { AUTHOR_BADGE, memberLink } from './member-link.ts';
import { authorHref } from './paper-card.ts';

export interface AuthorClaimState {
  /** The member approved for this author name, if any. */
  approved: AuthorClaim | null;
  /** The viewing member's latest claim to this name, if any. */
  own: AuthorClaim | null;
}

/** On an author page: the member who is this author, or "This is me" for a member to claim it. */
export function authorClaimSection(
  context: PageContext,
  name: string,
  state: AuthorClaimState,
): SafeHtml | '' {
  if (state.approved)
    return html`<p class="author-claim">${AUTHOR_BADGE} On Dailypapers as ${memberLink(state.approved.username)}</p>`;
  if (!context.member)
    return html`<p class="meta author-claim">Are you ${name}? <a href="/login?next=${encodeURIComponent(authorHref(name))}">Log in</a> to claim this page.</p>`;
  if (state.own?.status === 'pending')
    return html`<p class="notice author-claim" role="status">Your claim to this author page is waiting for an admin.</p>`;
  return html`<form class="author-claim" method="post" action="${authorHref(name)}/claim">
  <input type="hidden" name="_csrf" value="${context.csrfToken}">
  ${state.own?.status === 'rejected' ? html`<p class="meta">An admin declined your earlier claim; you may ask again.</p>` : ''}
  <button type="submit">This is me</button> <span class="meta">An admin checks claims before the page names you.</span>
</form>`;
}
