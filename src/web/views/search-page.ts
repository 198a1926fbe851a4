import type { Follow } from '../../domain/follows.ts';
import { snippet, type TextSegment } from '../../domain/highlight.ts';
import { collapseSpaces } from '../../domain/paper-text.ts';
import type { SearchQuery } from '../../domain/search-query.ts';
import type { SearchHit, SearchSort } from '../../services/search-papers.ts';
import { formatCount } from '../../text/format.ts';
import { html, type SafeHtml } from '../../text/html.ts';
import { plainText } from '../../text/math.ts';
import { SITE_FEEDS } from '../feeds/feed-links.ts';
import { type PageContext, renderPage } from './layout.ts';
import { pager } from './pager.ts';
import { paperCard } from './paper-card.ts';
import { followButton } from './personal-controls.ts';

export interface SearchPageData {
  text: string;
  query: SearchQuery | null;
  hits: SearchHit[];
  total: number;
  /** False when `total` is the counting bound and more papers match. */
  totalExact?: boolean;
  upvoted: Set<string>;
  page: number;
  totalPages: number;
  sort: SearchSort;
  boost: boolean;
  semanticAvailable: boolean;
  /** Search by meaning is on its way (a model training, or its vectors being written). */
  semanticPreparing?: boolean;
  /** Why the query could not be searched, shown instead of results. */
  problem?: string;
  saved?: ReadonlyMap<string, string[]>;
  /** The member's follow of this search, when they follow it. */
  followed?: Follow | null;
  /** "Did you mean": the query with its rare words corrected to common words of the site's papers. */
  suggestion?: string | null;
}

const SORTS: Array<[SearchSort, string]> = [
  ['relevance', 'Relevance'],
  ['newest', 'Newest'],
  ['upvotes', 'Upvotes'],
];

function searchHref(text: string, sort: SearchSort, boost: boolean, page = 0): string {
  const params = new URLSearchParams({ q: text });
  if (sort !== 'relevance') params.set('sort', sort);
  if (!boost) params.set('boost', 'off');
  if (page > 0) params.set('p', String(page));
  return `/search?${params}`;
}

/** The query's filters as chips; each links to the same search without it. */
function filterChips(data: SearchPageData): SafeHtml | '' {
  const query = data.query;
  if (!query) return '';
  const chips: Array<[string, RegExp]> = [
    ...query.authors.map((value): [string, RegExp] => [`author: ${value}`, /-?author:("[^"]*"?|\S*)/i]),
    ...query.organizations.map((value): [string, RegExp] => [`org: ${value}`, /-?org:("[^"]*"?|\S*)/i]),
    ...query.categories.map((value): [string, RegExp] => [`category: ${value}`, /-?cat:("[^"]*"?|\S*)/i]),
    // Both bounds are inclusive, and a month or year stands for its first (after:) or last (before:) day.
    ...(query.after ? [[`on or after ${query.after}`, /after:\S*/i] as [string, RegExp]] : []),
    ...(query.before ? [[`on or before ${query.before}`, /before:\S*/i] as [string, RegExp]] : []),
    ...query.excluded.map((value): [string, RegExp] => [`not “${value}”`, new RegExp(`-${value}\\b`, 'i')]),
  ];
  if (chips.length === 0) return '';
  return html`<ul class="chips filter-chips" aria-label="Filters">${chips.map(([label, pattern]) => {
    const without = collapseSpaces(data.text.replace(pattern, ' ')).trim();
    return html`<li><span>${label}</span> <a href="${without ? searchHref(without, data.sort, data.boost) : '/search'}" aria-label="Remove filter ${label}">×</a></li>`;
  })}</ul>`;
}

function marked(segments: TextSegment[]): SafeHtml {
  return html`${segments.map((segment) => (segment.marked ? html`<mark>${segment.text}</mark>` : segment.text))}`;
}

function why(hit: SearchHit, semanticAvailable: boolean): SafeHtml | '' {
  if (!semanticAvailable) return '';
  const label = hit.keyword && hit.semantic ? 'words and meaning' : hit.keyword ? 'words' : 'meaning';
  return html`<span class="why" title="Why this result: it matched by ${label}">matched by ${label}</span>`;
}

function resultList(data: SearchPageData, context: PageContext): SafeHtml {
  if (data.hits.length === 0) {
    const categories = data.query?.categories ?? [];
    if (categories.length > 0)
      return html`<p class="empty">No paper matches. Categories (${categories.map((category) => `cat:${category}`).join(', ')}) come from arXiv’s metadata: papers known to this site only from Hugging Face carry none, so a <code>cat:</code> filter never finds them. Try without it.</p>`;
    return html`<p class="empty">No paper matches. Try fewer words, or remove a filter.</p>`;
  }
  const words = data.query ? [...data.query.words, ...data.query.phrases.flat()] : [];
  return html`<ol class="paper-list">${data.hits.map((hit) =>
    paperCard(hit.paper, context, data.upvoted.has(hit.paper.id), {
      abstract: marked(snippet(plainText(hit.paper.abstract), words)),
      badges: why(hit, data.semanticAvailable),
      savedTags: data.saved?.get(hit.paper.id),
    }),
  )}</ol>`;
}

export function renderSearchPage(context: PageContext, data: SearchPageData): string {
  const summary = data.problem
    ? html`<p class="form-error" role="alert">${data.problem}</p>`
    : data.text
      ? html`<p class="subtitle">${data.totalExact === false ? 'More than ' : ''}${formatCount(data.total)} ${data.total === 1 ? 'paper' : 'papers'} for “${data.text}”</p>`
      : html`<p class="subtitle">Search titles, abstracts and authors${data.semanticAvailable ? ', by words and by meaning' : ''}.</p>`;
  return renderPage(context, {
    title: data.text ? `${data.text} – search` : 'Search',
    query: data.text,
    feeds: SITE_FEEDS,
    body: html`<div class="page-head"><div><h1>Search</h1>${summary}</div></div>
<form class="search-form" role="search" aria-label="Papers" method="get" action="/search">
  <input type="search" name="q" value="${data.text}" aria-label="Search papers" placeholder="e.g. heuristics in reinforcement learning author:&quot;Sergey Levine&quot; after:2025-01">
  <select name="sort" aria-label="Order">${SORTS.map(([value, label]) => html`<option value="${value}"${value === data.sort ? html` selected` : ''}>${label}</option>`)}</select>
  <button class="button button-primary" type="submit">Search</button>
</form>
<details class="search-help"><summary>Search syntax</summary>
  <p><code>"exact phrase"</code> · <code>-excluded</code> · <code>author:"Yann LeCun"</code> · <code>org:google</code> · <code>cat:cs.LG</code> (or <code>cat:cs</code>) · <code>after:2025-01-01</code> · <code>before:2025-06</code> · an arXiv id or URL opens that paper.</p>
</details>
${data.semanticPreparing ? html`<p class="notice search-preparing" role="status">Search by meaning is being prepared: a model is learning from this site’s papers. Until it is ready, results match your words.</p>` : ''}
${data.suggestion ? html`<p class="did-you-mean">Did you mean <a href="${searchHref(data.suggestion, data.sort, data.boost)}">${data.suggestion}</a>?</p>` : ''}
${filterChips(data)}
${data.text && !data.problem && !data.query?.paperId ? html`<div class="follow-search">${followButton(context, 'topic', data.text, data.followed ?? null)}</div>` : ''}
${data.text && !data.problem ? resultList(data, context) : ''}
${pager(data.page, data.totalPages, (page) => searchHref(data.text, data.sort, data.boost, page))}`,
  });
}
