import type { MemberPage, PublicCollectionSummary } from '../../services/member-page.ts';
import { formatCount, formatDate, plural } from '../../text/format.ts';
import { html, type SafeHtml } from '../../text/html.ts';
import { renderTextWithMath } from '../../text/math.ts';
import { type PageContext, renderPage } from './layout.ts';
import { AUTHOR_BADGE } from './member-link.ts';
import { authorHref } from './paper-card.ts';
import { renderCommentBody } from './paper-page.ts';

/** The member's public collections; nothing at all while they have none. */
export function publicCollectionsSection(collections: PublicCollectionSummary[]): SafeHtml | '' {
  if (collections.length === 0) return '';
  return html`<section class="member-section" aria-labelledby="collections-title">
  <h2 id="collections-title">Collections</h2>
  <ul class="similar-list">${collections.map(
    (collection) =>
      html`<li><a href="${collection.href}">${collection.title}</a> <span class="meta">${plural(collection.papers, 'paper')}</span></li>`,
  )}</ul>
</section>`;
}

export function renderMemberPage(context: PageContext, data: MemberPage): string {
  const { member } = data;
  return renderPage(context, {
    title: member.username,
    description: `${member.username} on Dailypapers: submissions and comments`,
    body: html`<div class="profile-head">
  <div>
    <p class="label">Member${member.role === 'admin' ? ' · admin' : ''}</p>
    <h1>${member.username}</h1>
    <div class="stats">
      <span>joined ${formatDate(member.createdAt)}</span>
      <span><strong>${formatCount(data.submissionCount)}</strong> submissions</span>
      <span><strong>${formatCount(data.commentCount)}</strong> comments</span>
    </div>
    ${
      data.authorOf.length > 0
        ? html`<p class="hint">${AUTHOR_BADGE}Author page${data.authorOf.length > 1 ? 's' : ''}: ${data.authorOf.map(
            (name, index) => html`${index ? ', ' : ''}<a href="${authorHref(name)}">${name}</a>`,
          )}</p>`
        : ''
    }
  </div>
</div>
<section class="member-section" aria-labelledby="submissions-title">
  <h2 id="submissions-title">Submissions</h2>
  ${
    data.submissions.length === 0
      ? html`<p class="empty">No submissions yet.</p>`
      : html`<ul class="similar-list">${data.submissions.map(
          (paper) =>
            html`<li><a href="/papers/${paper.id}">${renderTextWithMath(paper.title)}</a> <span class="meta">${paper.daily ? formatDate(paper.daily.day) : ''}${paper.upvotes > 0 ? html` · ▲ ${formatCount(paper.upvotes)}` : ''}</span></li>`,
        )}</ul>`
  }
</section>
${publicCollectionsSection(data.collections)}
<section class="member-section" aria-labelledby="member-comments-title">
  <h2 id="member-comments-title">Comments</h2>
  ${
    data.comments.length === 0
      ? html`<p class="empty">No comments yet.</p>`
      : data.comments.map(
          (comment) => html`<div class="comment">
    <div class="comment-head"><a href="/papers/${comment.paperId}#comment-${comment.id}">${comment.parentId === null ? 'On' : 'Reply on'} “${renderTextWithMath(comment.paperTitle)}”</a><span>${formatDate(comment.createdAt)}</span></div>
    <div class="comment-body">${renderCommentBody(comment.body)}</div>
  </div>`,
        )
  }
</section>`,
  });
}
