import type { Comment } from '../../domain/member.ts';
import type { Paper } from '../../domain/paper.ts';
import { paperLinks } from '../../domain/paper-links.ts';
import type { PaperLink } from '../../store/papers.ts';
import { formatCount, formatDate, plural } from '../../text/format.ts';
import { html, raw, type SafeHtml } from '../../text/html.ts';
import { plainText, renderParagraphs, renderTextWithMath } from '../../text/math.ts';
import { feedLinksFor, SITE_FEEDS } from '../feeds/feed-links.ts';
import { scholarlyHead } from '../scholarly/citation-meta.ts';
import { type PageContext, renderPage } from './layout.ts';
import { AUTHOR_BADGE, memberLink } from './member-link.ts';
import {
  authorHref,
  githubLabel,
  importedCommentsNote,
  organizationBadge,
  upvoteControl,
} from './paper-card.ts';
import { saveControl } from './personal-controls.ts';
import { subscribeForm } from './subscribe-form.ts';

export interface PaperPageData {
  paper: Paper;
  upvoted: boolean;
  comments: Comment[];
  commentError?: string;
  /** Nearest papers by meaning; the section is left out when empty. */
  similar?: PaperLink[];
  /** Usernames of members approved as authors of this paper: their comments are marked "author". */
  authorMembers?: ReadonlySet<string>;
  /** Whether the member who listed the paper has a page here (imported listings name other sites' users). */
  submitterIsMember?: boolean;
  /** The member's tags on this paper, when they saved it. */
  savedTags?: string[];
}

function similarSection(papers: PaperLink[]): SafeHtml | '' {
  if (papers.length === 0) return '';
  return html`<section class="similar" aria-labelledby="similar-title">
  <h2 id="similar-title">Similar papers</h2>
  <ul class="similar-list">${papers.map(
    (paper) =>
      html`<li><a href="/papers/${paper.id}">${renderTextWithMath(paper.title)}</a> <span class="meta">${paper.day ? formatDate(paper.day) : paper.publishedAt ? formatDate(paper.publishedAt) : ''}${paper.upvotes > 0 ? html` · ▲ ${formatCount(paper.upvotes)}` : ''}</span></li>`,
  )}</ul>
</section>`;
}

const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/g;

/** Comment text: escaped, line breaks kept (CSS), links made clickable and marked as user content. */
export function renderCommentBody(body: string): SafeHtml {
  let out = '';
  let last = 0;
  const escape = (text: string) => html`${text}`.value;
  for (const match of body.matchAll(URL_IN_TEXT)) {
    const index = match.index ?? 0;
    out += escape(body.slice(last, index));
    out += html`<a href="${match[0]}" rel="nofollow ugc noopener">${match[0]}</a>`.value;
    last = index + match[0].length;
  }
  return raw(out + escape(body.slice(last)));
}

function adminToggle(context: PageContext, action: string, hidden: boolean, what: string): SafeHtml | '' {
  if (context.member?.role !== 'admin') return '';
  return html`<form method="post" action="${action}" class="inline-form">
  <input type="hidden" name="_csrf" value="${context.csrfToken}">
  <input type="hidden" name="hidden" value="${hidden ? 'false' : 'true'}">
  <button class="link-button" type="submit">${hidden ? `Show ${what}` : `Hide ${what}`}</button>
</form>`;
}

function commentForm(
  context: PageContext,
  paperId: string,
  parentId: number | null,
  error?: string,
): SafeHtml {
  if (!context.member) {
    return html`<p><a href="/login?next=${encodeURIComponent(`/papers/${paperId}#comments`)}">Log in</a> to join the discussion.</p>`;
  }
  const id = parentId === null ? 'comment-body' : `reply-${parentId}`;
  return html`<form method="post" action="/papers/${paperId}/comments">
  <input type="hidden" name="_csrf" value="${context.csrfToken}">
  ${parentId === null ? '' : html`<input type="hidden" name="parentId" value="${parentId}">`}
  <label for="${id}">${parentId === null ? 'Add a comment' : 'Reply'}</label>
  <textarea id="${id}" name="body" required maxlength="5000"></textarea>
  ${error && parentId === null ? html`<p class="field-error" role="alert">${error}</p>` : ''}
  <p><button class="button-primary" type="submit">${parentId === null ? 'Comment' : 'Reply'}</button></p>
</form>`;
}

function commentItem(
  context: PageContext,
  comment: Comment,
  replies: Comment[],
  authorMembers: ReadonlySet<string>,
): SafeHtml {
  return html`<div class="comment" id="comment-${comment.id}">
  <div class="comment-head"><strong>${memberLink(comment.author)}</strong>${authorMembers.has(comment.author) ? AUTHOR_BADGE : ''}<span>${formatDate(comment.createdAt)}</span>
    ${comment.hidden ? html`<span class="hidden-note">hidden</span>` : ''}
    ${adminToggle(context, `/comments/${comment.id}/hide`, comment.hidden, 'comment')}</div>
  <div class="comment-body">${renderCommentBody(comment.body)}</div>
  ${replies.map((reply) => commentItem(context, reply, [], authorMembers))}
  ${comment.parentId === null && context.member ? html`<details><summary>Reply</summary>${commentForm(context, comment.paperId, comment.id)}</details>` : ''}
</div>`;
}

function commentsSection(context: PageContext, data: PaperPageData): SafeHtml {
  const top = data.comments.filter((comment) => comment.parentId === null);
  return html`<section class="comments" id="comments" aria-labelledby="comments-title">
  <h2 id="comments-title">${plural(data.comments.filter((comment) => !comment.hidden).length, 'comment')}</h2>
  ${importedCommentsNote(data.paper)}
  ${top.map((comment) =>
    commentItem(
      context,
      comment,
      data.comments.filter((reply) => reply.parentId === comment.id),
      data.authorMembers ?? new Set(),
    ),
  )}
  ${
    data.paper.hidden
      ? html`<p class="meta">This paper is hidden: it takes no new comments or upvotes.</p>`
      : commentForm(context, data.paper.id, null, data.commentError)
  }
</section>`;
}

/** The thumbnail for link previews: our copy's absolute URL (never another site's). */
function ogImage(context: PageContext, thumbnail: string | null): string | null {
  const local = context.images?.localUrl(thumbnail) ?? null;
  return local && `${context.baseUrl}${local}`;
}

export function renderPaperPage(context: PageContext, data: PaperPageData): string {
  const { paper } = data;
  const title = plainText(paper.title);
  const links = paperLinks(paper);
  return renderPage(context, {
    title,
    description: plainText(paper.aiSummary ?? paper.abstract).slice(0, 300),
    canonical: `/papers/${paper.id}`,
    og: { type: 'article', image: ogImage(context, paper.thumbnail) },
    head: scholarlyHead(paper, context.baseUrl),
    feeds: paper.daily ? feedLinksFor('daily', paper.daily.day, 'Daily papers') : SITE_FEEDS,
    body: html`<article class="paper-page">
  <p class="meta">
    ${paper.daily ? html`<span>Listed <a href="/papers/date/${paper.daily.day}">${formatDate(paper.daily.day)}</a>${paper.daily.submittedBy ? html` by ${data.submitterIsMember ? memberLink(paper.daily.submittedBy.user) : (paper.daily.submittedBy.fullname ?? paper.daily.submittedBy.user)}` : ''}</span>` : ''}
    ${paper.publishedAt ? html`<span>arXiv ${formatDate(paper.publishedAt)}</span>` : ''}
    ${organizationBadge(paper, context)}
    ${paper.hidden ? html`<span class="hidden-note">hidden from lists</span>` : ''}
  </p>
  <h1>${renderTextWithMath(paper.title)}</h1>
  <p class="authors">${paper.authors.map((author, index) => html`${index ? ', ' : ''}<a href="${authorHref(author.name)}">${author.name}</a>`)}</p>
  <div class="actions">
    ${upvoteControl(paper, context, data.upvoted)}
    ${links.arxiv ? html`<a class="button" href="${links.arxiv}" rel="noopener">arXiv page</a>` : ''}
    <a class="button" href="${links.pdf}" rel="noopener">PDF</a>
    ${links.github ? html`<a class="button" href="${links.github}" rel="noopener">${githubLabel(paper)}</a>` : ''}
    ${links.projectPage ? html`<a class="button" href="${links.projectPage}" rel="noopener">Project page</a>` : ''}
    <a class="button" href="/papers/${paper.id}.bib" type="application/x-bibtex">BibTeX</a>
    ${adminToggle(context, `/papers/${paper.id}/hide`, paper.hidden, 'paper')}
    ${saveControl(context, paper.id, data.savedTags)}
  </div>
  ${paper.categories.length ? html`<ul class="chips" aria-label="Categories">${paper.categories.map((category) => html`<li>${category}</li>`)}</ul>` : ''}
  ${paper.aiSummary ? html`<h2><span class="label">AI-generated summary</span></h2><p class="ai-summary">${renderTextWithMath(paper.aiSummary)}</p>` : ''}
  <h2>Abstract</h2>
  <div class="abstract">${renderParagraphs(paper.abstract)}</div>
  ${paper.aiKeywords.length ? html`<ul class="chips" aria-label="Keywords">${paper.aiKeywords.map((keyword) => html`<li>${keyword}</li>`)}</ul>` : ''}
  ${paper.comment ? html`<p class="meta">Comment: ${paper.comment}</p>` : ''}
  ${paper.journalRef ? html`<p class="meta">Journal: ${paper.journalRef}</p>` : ''}
  ${similarSection(data.similar ?? [])}
  ${subscribeForm(context)}
  ${commentsSection(context, data)}
</article>`,
  });
}
