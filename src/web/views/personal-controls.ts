/** The personal layer's controls on other pages: Follow buttons, Save with tags, Not interested, reasons. */
import type { Follow, FollowKind } from '../../domain/follows.ts';
import type { RecommendationReason } from '../../domain/recommend/contract.ts';
import { html, type SafeHtml } from '../../text/html.ts';
import { plainText } from '../../text/math.ts';
import type { PageContext } from './layout.ts';

const csrf = (context: PageContext) => html`<input type="hidden" name="_csrf" value="${context.csrfToken}">`;
const next = (value: string) => html`<input type="hidden" name="next" value="${value}">`;

/** Follow / Unfollow for an author, organization or search; logged-out readers are sent to log in. */
export function followButton(
  context: PageContext,
  kind: FollowKind,
  target: string,
  follow: Follow | null,
  label = kind === 'topic' ? 'Follow this search' : 'Follow',
): SafeHtml {
  const back = context.path + (kind === 'topic' ? `?q=${encodeURIComponent(target)}` : '');
  if (!context.member) {
    return html`<a class="button follow-button" href="/login?next=${encodeURIComponent(back)}">${label}</a>`;
  }
  if (follow) {
    return html`<form class="follow-form" method="post" action="/follows/${follow.id}/delete">${csrf(context)}${next(back)}
  <button class="button" type="submit" aria-pressed="true">Following · Unfollow</button></form>`;
  }
  return html`<form class="follow-form" method="post" action="/follows">${csrf(context)}${next(back)}
  <input type="hidden" name="kind" value="${kind}"><input type="hidden" name="target" value="${target}">
  ${kind === 'topic' ? html`<label class="visually-hidden" for="follow-label">Name this topic</label><input id="follow-label" name="label" placeholder="Name it (optional)" maxlength="80">` : ''}
  <button class="button button-primary" type="submit" aria-pressed="false">${label}</button></form>`;
}

/** "Save" with tags on a card or a paper page: a disclosure with a form, working without JavaScript. */
export function saveControl(
  context: PageContext,
  paperId: string,
  tags: string[] | undefined,
): SafeHtml | '' {
  if (!context.member) return '';
  const id = `save-${paperId.replace(/[^A-Za-z0-9]/g, '-')}`;
  return html`<details class="save-control">
  <summary>${tags ? html`Saved <span class="save-tags">${tags.join(', ')}</span>` : 'Save'}</summary>
  <form method="post" action="/library/save">${csrf(context)}${next(context.path)}
    <input type="hidden" name="paperId" value="${paperId}">
    <label for="${id}">Tags, separated by commas</label>
    <input id="${id}" name="tags" placeholder="e.g. rl, to read" maxlength="420" autocomplete="off">
    <button class="button button-primary" type="submit">Save</button>
  </form>
  ${tags ? html`<form method="post" action="/library/remove">${csrf(context)}${next(context.path)}<input type="hidden" name="paperId" value="${paperId}"><button class="link-button" type="submit">Remove from library</button></form>` : ''}
</details>`;
}

export function notInterestedButton(context: PageContext, paperId: string, back: string): SafeHtml {
  return html`<form class="not-interested" method="post" action="/library/not-interested">${csrf(context)}${next(back)}
  <input type="hidden" name="paperId" value="${paperId}">
  <button class="link-button" type="submit">Not interested</button></form>`;
}

/** Why a paper is on a member's list, in words. */
export function reasonText(reason: RecommendationReason): string {
  switch (reason.kind) {
    case 'similar':
      return `you ${reason.signal === 'save' ? 'saved' : 'upvoted'} “${plainText(reason.title)}”`;
    case 'author':
      return `by ${reason.name}, whom you follow`;
    case 'organization':
      return `from ${reason.name}, which you follow`;
    case 'topic':
      return `matches your topic “${reason.label}”`;
    case 'popular':
      return 'popular with the community';
  }
}

export function reasonsBadge(reasons: RecommendationReason[]): SafeHtml {
  const badges = reasons.map((reason) => {
    const text = reasonText(reason);
    return html`<span class="why">${text.charAt(0).toUpperCase()}${text.slice(1)}</span>`;
  });
  return html`<span class="reasons" title="Why this paper is on your list">${badges}</span>`;
}

/** The account page's section for the private "For you" feed: its address, regenerate (revokes) and revoke. */
export function privateFeedSection(context: PageContext, token: string | null): SafeHtml {
  const base = `${context.baseUrl}/feeds/for-you/${token ?? ''}`;
  return html`<section id="private-feed" aria-labelledby="private-feed-heading">
  <h2 id="private-feed-heading">Private “For you” feed</h2>
  ${
    token
      ? html`<p class="meta">Anyone with this address can read your list: keep it private. Making a new one stops the old one.</p>
  <p><label for="private-feed-rss">RSS</label><input id="private-feed-rss" class="feed-url" readonly value="${base}.xml"></p>
  <p><label for="private-feed-atom">Atom</label><input id="private-feed-atom" class="feed-url" readonly value="${base}.atom"></p>`
      : html`<p class="meta">Read your “For you” list in a feed reader, at a secret address.</p>`
  }
  <form method="post" action="/account/feed-token">${csrf(context)}
    <button type="submit" name="action" value="regenerate">${token ? 'Make a new address' : 'Make a private feed'}</button>
    ${token ? html`<button type="submit" name="action" value="revoke">Turn the feed off</button>` : ''}
  </form>
</section>`;
}
