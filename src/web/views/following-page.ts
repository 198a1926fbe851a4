import { type Follow, type FollowKind, followHref } from '../../domain/follows.ts';
import { html, type SafeHtml } from '../../text/html.ts';
import { type PageContext, renderPage } from './layout.ts';

const SECTIONS: Array<[FollowKind, string, string]> = [
  ['author', 'Authors', 'Follow authors from their pages.'],
  ['organization', 'Organizations', 'Follow organizations from their pages.'],
  ['topic', 'Topics', 'Follow a search from the search page (“Follow this search”).'],
];

function followItem(context: PageContext, follow: Follow): SafeHtml {
  return html`<li><a href="${followHref(follow)}">${follow.label}</a>${follow.kind === 'topic' && follow.label !== follow.target ? html` <code>${follow.target}</code>` : ''}
  <form method="post" action="/follows/${follow.id}/delete"><input type="hidden" name="_csrf" value="${context.csrfToken}"><input type="hidden" name="next" value="/following">
  <button class="link-button" type="submit" aria-label="Unfollow ${follow.label}">Unfollow</button></form></li>`;
}

export function renderFollowingPage(context: PageContext, follows: Follow[]): string {
  return renderPage(context, {
    title: 'Following',
    body: html`<div class="page-head"><div><h1>Following</h1>
  <p class="subtitle">What shapes your <a href="/for-you">For you</a> list.</p></div></div>
${SECTIONS.map(([kind, title, hint]) => {
  const mine = follows.filter((follow) => follow.kind === kind);
  return html`<section class="following" aria-labelledby="following-${kind}"><h2 id="following-${kind}">${title}</h2>
  ${mine.length === 0 ? html`<p class="empty">${hint}</p>` : html`<ul class="follow-list">${mine.map((follow) => followItem(context, follow))}</ul>`}</section>`;
})}`,
  });
}
