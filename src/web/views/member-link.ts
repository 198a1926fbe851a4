import { html, type SafeHtml } from '../../text/html.ts';

export const memberHref = (username: string) => `/users/${encodeURIComponent(username)}`;

/** A member's name, linked to their public page. */
export function memberLink(username: string): SafeHtml {
  return html`<a class="member-link" href="${memberHref(username)}">${username}</a>`;
}

/** The mark on comments by a paper's author (a member an admin approved for one of its author names). */
export const AUTHOR_BADGE = html`<span class="author-badge" title="An author of this paper">author</span>`;
