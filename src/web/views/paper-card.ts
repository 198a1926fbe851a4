import type { Paper } from '../../domain/paper.ts';
import { paperLinks } from '../../domain/paper-links.ts';
import { formatCount, formatDate, plural } from '../../text/format.ts';
import { html, type SafeHtml } from '../../text/html.ts';
import { renderExcerptWithMath, renderTextWithMath } from '../../text/math.ts';
import { organizationAvatar, paperThumbnail } from './images.ts';
import type { PageContext } from './layout.ts';
import { saveControl } from './personal-controls.ts';

export const authorHref = (name: string) => `/authors/${encodeURIComponent(name)}`;
export const orgHref = (name: string) => `/orgs/${encodeURIComponent(name)}`;
/** More of the abstract than a card's three clamped lines show on the widest layout (app.css, .abstract-preview). */
const PREVIEW_CHARS = 400;
/** The anchor of a paper's card, so that an upvote without JavaScript comes back to the card. */
const cardId = (id: string) => `paper-${id}`;

/** The upvote button: a form that works without JavaScript; logged-out readers are sent to log in. */
export function upvoteControl(paper: Paper, context: PageContext, upvoted: boolean): SafeHtml {
  // The name holds the visible count (speech input users say what they see); aria-pressed tells whether it is theirs.
  const count = html`<span class="arrow" aria-hidden="true">▲</span><span class="count">${formatCount(paper.upvotes)}</span><span class="visually-hidden"> ${paper.upvotes === 1 ? 'upvote' : 'upvotes'}</span>`;
  if (!context.member) {
    return html`<div class="upvote"><a class="button count-only" href="/login?next=${encodeURIComponent(context.path)}"><span class="visually-hidden">Log in to upvote: </span>${count}</a></div>`;
  }
  return html`<form class="upvote" method="post" action="/papers/${paper.id}/upvote">
  <input type="hidden" name="_csrf" value="${context.csrfToken}">
  <input type="hidden" name="upvoted" value="${upvoted ? 'false' : 'true'}">
  <input type="hidden" name="next" value="${context.path}#${cardId(paper.id)}">
  <button type="submit" aria-pressed="${upvoted ? 'true' : 'false'}"><span class="visually-hidden">Upvote: </span>${count}</button>
</form>`;
}

export function organizationBadge(paper: Paper, context: PageContext): SafeHtml | '' {
  const org = paper.organization;
  if (!org) return '';
  return html`<a class="org" href="${orgHref(org.name)}">${organizationAvatar(org, context, 'org-avatar')}${org.fullName ?? org.name}</a>`;
}

function authorsSummary(paper: Paper): SafeHtml {
  const shown = paper.authors.slice(0, 3);
  const more = paper.authors.length - shown.length;
  return html`<span>${shown.map((author, index) => html`${index ? ', ' : ''}<a href="${authorHref(author.name)}">${author.name}</a>`)}${more > 0 ? ` +${more}` : ''} · ${plural(paper.authors.length, 'author')}</span>`;
}

/** Hugging Face's own comment count, apart from ours (it counts a discussion elsewhere). */
export function importedCommentsNote(paper: Paper): SafeHtml | '' {
  return paper.importedComments > 0
    ? html`<span class="imported-comments">${formatCount(paper.importedComments)} on Hugging Face</span>`
    : '';
}

/** "GitHub ★ 1,234" */
export function githubLabel(paper: Paper): SafeHtml {
  return html`GitHub${paper.githubStars !== null ? html` ★ ${formatCount(paper.githubStars)}` : ''}`;
}

export function cardLinks(paper: Paper): SafeHtml {
  const links = paperLinks(paper);
  return html`<div class="links">
  <a href="/papers/${paper.id}#comments">${plural(paper.numComments, 'comment')}</a>
  ${importedCommentsNote(paper)}
  ${links.github ? html`<a href="${links.github}" rel="noopener">${githubLabel(paper)}</a>` : ''}
  ${links.projectPage ? html`<a href="${links.projectPage}" rel="noopener">Project page</a>` : ''}
  ${links.arxiv ? html`<a href="${links.arxiv}" rel="noopener">arXiv</a>` : ''}
  <a href="${links.pdf}" rel="noopener">PDF</a>
</div>`;
}

export interface CardExtras {
  /** Replaces the abstract preview, e.g. a search snippet with the matches marked. */
  abstract?: SafeHtml;
  /** Shown after the metadata, e.g. why a search result was found. */
  badges?: SafeHtml | '';
  /** The member's tags on this paper, when they saved it. */
  savedTags?: string[];
  /** More controls under the links, e.g. "Not interested". */
  actions?: SafeHtml | '';
}

export function paperCard(
  paper: Paper,
  context: PageContext,
  upvoted: boolean,
  extras: CardExtras = {},
): SafeHtml {
  const listed = paper.daily?.day ?? paper.publishedAt;
  return html`<li class="paper-card" id="${cardId(paper.id)}">
  ${upvoteControl(paper, context, upvoted)}
  <article class="paper-body">
    <h2 class="paper-title"><a href="/papers/${paper.id}">${renderTextWithMath(paper.title)}</a></h2>
    <div class="meta">
      ${organizationBadge(paper, context)}
      ${authorsSummary(paper)}
      ${listed ? html`<span>${formatDate(listed)}</span>` : ''}
      ${extras.badges ?? ''}
    </div>
    <p class="abstract-preview">${extras.abstract ?? renderExcerptWithMath(paper.abstract, PREVIEW_CHARS)}</p>
    ${cardLinks(paper)}
    ${context.member ? html`<div class="card-actions">${saveControl(context, paper.id, extras.savedTags)}${extras.actions ?? ''}</div>` : ''}
  </article>
  ${paperThumbnail(paper, context)}
</li>`;
}

export function paperList(
  papers: Paper[],
  context: PageContext,
  upvoted: Set<string>,
  empty: string,
  saved?: ReadonlyMap<string, string[]>,
): SafeHtml {
  if (papers.length === 0) return html`<p class="empty">${empty}</p>`;
  return html`<ol class="paper-list">${papers.map((paper) =>
    paperCard(paper, context, upvoted.has(paper.id), { savedTags: saved?.get(paper.id) }),
  )}</ol>`;
}
