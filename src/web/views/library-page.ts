import { collectionPath, type TagSummary } from '../../domain/library.ts';
import type { Paper } from '../../domain/paper.ts';
import { formatCount } from '../../text/format.ts';
import { html, type SafeHtml } from '../../text/html.ts';
import type { FormState } from './forms.ts';
import { type PageContext, renderPage } from './layout.ts';
import { pager } from './pager.ts';
import { paperCard } from './paper-card.ts';

export interface LibraryPageData {
  tags: TagSummary[];
  tag: string | null;
  papers: Paper[];
  saved: ReadonlyMap<string, string[]>;
  upvoted: Set<string>;
  total: number;
  page: number;
  totalPages: number;
  /** The collection form's values and problems after a refused post. */
  form?: FormState;
}

const tagHref = (tag: string) => `/library?tag=${encodeURIComponent(tag)}`;

function tagList(data: LibraryPageData): SafeHtml {
  return html`<nav class="tag-list" aria-label="Your tags"><ul>
  <li><a href="/library"${data.tag === null ? html` aria-current="page"` : ''}>All saved</a></li>
  ${data.tags.map(
    (tag) =>
      html`<li><a href="${tagHref(tag.tag)}"${tag.tag === data.tag ? html` aria-current="page"` : ''}>${tag.tag}</a> <span class="meta">${formatCount(tag.papers)}${tag.collection?.visibility === 'public' ? ' · public' : ''}</span></li>`,
  )}
</ul></nav>`;
}

function collectionForm(context: PageContext, data: LibraryPageData, summary: TagSummary): SafeHtml {
  const collection = summary.collection;
  const values = data.form?.values ?? {};
  const errors = data.form?.errors ?? {};
  const value = (name: 'slug' | 'title' | 'description', fallback: string) => values[name] ?? fallback;
  const error = (name: string) =>
    errors[name]
      ? html`<div class="field-error" id="collection-${name}-error" role="alert">${errors[name]}</div>`
      : '';
  const isPublic = collection?.visibility === 'public';
  return html`<section class="collection-settings" aria-labelledby="collection-title">
  <h2 id="collection-title">Collection</h2>
  ${collection && isPublic ? html`<p>Public at <a href="${collectionPath(collection)}">${collectionPath(collection)}</a>.</p>` : html`<p class="meta">This tag is private. Publish it as a collection anyone can read, with its own feed.</p>`}
  ${errors.form ? html`<p class="notice notice-error" role="alert">${errors.form}</p>` : ''}
  <form method="post" action="/library/collections" novalidate>
    <input type="hidden" name="_csrf" value="${context.csrfToken}">
    <input type="hidden" name="tag" value="${summary.tag}">
    <div class="field"><label for="collection-title-input">Title</label>
      <input id="collection-title-input" name="title" maxlength="120" value="${value('title', collection?.title ?? summary.tag)}"${errors.title ? html` aria-invalid="true" aria-describedby="collection-title-error"` : ''}>${error('title')}</div>
    <div class="field"><label for="collection-slug">Address</label>
      <input id="collection-slug" name="slug" maxlength="60" value="${value('slug', collection?.slug ?? '')}" placeholder="made from the tag" pattern="[a-z0-9]+(-[a-z0-9]+)*"${errors.slug ? html` aria-invalid="true" aria-describedby="collection-slug-error"` : ''}>${error('slug')}</div>
    <div class="field"><label for="collection-description">Description</label>
      <textarea id="collection-description" name="description" maxlength="2000" rows="3">${value('description', collection?.description ?? '')}</textarea>${error('description')}</div>
    <button class="button button-primary" type="submit" name="visibility" value="public">${isPublic ? 'Update collection' : 'Publish collection'}</button>
    ${isPublic ? html`<button class="button" type="submit" name="visibility" value="private">Make private</button>` : ''}
  </form>
</section>`;
}

function untagButton(context: PageContext, paperId: string, tag: string): SafeHtml {
  return html`<form method="post" action="/library/untag"><input type="hidden" name="_csrf" value="${context.csrfToken}">
  <input type="hidden" name="next" value="${tagHref(tag)}"><input type="hidden" name="paperId" value="${paperId}"><input type="hidden" name="tag" value="${tag}">
  <button class="link-button" type="submit">Remove tag “${tag}”</button></form>`;
}

export function renderLibraryPage(context: PageContext, data: LibraryPageData): string {
  const summary = data.tag === null ? null : (data.tags.find((tag) => tag.tag === data.tag) ?? null);
  const heading = data.tag === null ? 'Your library' : `Tag “${data.tag}”`;
  return renderPage(context, {
    title: heading,
    body: html`<div class="page-head"><div><h1>${heading}</h1>
  <p class="subtitle">${formatCount(data.total)} saved ${data.total === 1 ? 'paper' : 'papers'}. Tags are private unless you publish them.${data.tag ? html` <a class="button" href="/for-you?tag=${encodeURIComponent(data.tag)}">More like this tag</a>` : ''}</p></div></div>
<div class="library">
  ${tagList(data)}
  <div class="library-main">
    ${summary ? collectionForm(context, data, summary) : ''}
    ${
      data.papers.length === 0
        ? html`<p class="empty">Nothing saved${data.tag ? ' under this tag' : ''} yet: use “Save” on any paper.</p>`
        : html`<ol class="paper-list">${data.papers.map((paper) =>
            paperCard(paper, context, data.upvoted.has(paper.id), {
              savedTags: data.saved.get(paper.id),
              actions: data.tag ? untagButton(context, paper.id, data.tag) : '',
            }),
          )}</ol>`
    }
    ${pager(data.page, data.totalPages, (page) => `/library?${new URLSearchParams({ ...(data.tag && { tag: data.tag }), p: String(page) })}`)}
  </div>
</div>`,
  });
}
