import type { Collection } from '../../domain/library.ts';
import { collectionPath } from '../../domain/library.ts';
import type { Paper } from '../../domain/paper.ts';
import { formatCount, formatDate } from '../../text/format.ts';
import { html } from '../../text/html.ts';
import { type PageContext, renderPage } from './layout.ts';
import { paperList } from './paper-card.ts';

export interface CollectionPageData {
  collection: Collection;
  papers: Paper[];
  upvoted: Set<string>;
  saved: ReadonlyMap<string, string[]>;
}

export function renderCollectionPage(context: PageContext, data: CollectionPageData): string {
  const { collection } = data;
  const path = collectionPath(collection);
  const own = context.member?.id === collection.memberId;
  return renderPage(context, {
    title: collection.title,
    description: collection.description || `A collection by ${collection.owner} on Dailypapers`,
    feeds: [
      { title: `${collection.title} (RSS)`, href: `${path}.xml`, type: 'application/rss+xml' },
      { title: `${collection.title} (Atom)`, href: `${path}.atom`, type: 'application/atom+xml' },
    ],
    body: html`<div class="profile-head"><div>
  <p class="label">Collection by ${collection.owner}${collection.visibility === 'private' ? ' · private, only you see it' : ''}</p>
  <h1>${collection.title}</h1>
  ${collection.description ? html`<p class="collection-description">${collection.description}</p>` : ''}
  <div class="stats"><span><strong>${formatCount(data.papers.length)}</strong> papers</span><span>Updated ${formatDate(collection.updatedAt)}</span>
  <span><a href="${path}.xml">RSS</a> · <a href="${path}.atom">Atom</a> · <a href="${path}.json">JSON</a></span>
  ${own ? html`<span><a href="/library?tag=${encodeURIComponent(collection.tag)}">Edit in your library</a></span>` : ''}</div>
</div></div>
${paperList(data.papers, context, data.upvoted, 'This collection is empty.', data.saved)}`,
  });
}
