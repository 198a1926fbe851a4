import type { Paper } from '../../domain/paper.ts';
import { html } from '../html.ts';
import { formatCount } from './format.ts';
import { type PageContext, renderPage } from './layout.ts';
import { pager } from './pager.ts';
import { paperList } from './paper-card.ts';

export interface SearchPageData {
  query: string;
  papers: Paper[];
  total: number;
  upvoted: Set<string>;
  page: number;
  totalPages: number;
  /** Why the query could not be searched, shown instead of results. */
  problem?: string;
}

export function renderSearchPage(context: PageContext, data: SearchPageData): string {
  const href = (page: number) => `/search?q=${encodeURIComponent(data.query)}&p=${page}`;
  const summary = data.problem
    ? html`<p class="form-error" role="alert">${data.problem}</p>`
    : data.query
      ? html`<p class="subtitle">${formatCount(data.total)} ${data.total === 1 ? 'paper matches' : 'papers match'} “${data.query}”</p>`
      : html`<p class="subtitle">Search titles and abstracts, or paste an arXiv id.</p>`;
  return renderPage(context, {
    title: data.query ? `${data.query} – search` : 'Search',
    query: data.query,
    body: html`<div class="page-head"><div><h1>Search</h1>${summary}</div></div>
<form class="search-form" role="search" method="get" action="/search">
  <input type="search" name="q" value="${data.query}" aria-label="Search papers" placeholder="e.g. reinforcement learning for reasoning" autofocus>
  <button class="button button-primary" type="submit">Search</button>
</form>
${data.query && !data.problem ? paperList(data.papers, context, data.upvoted, 'No paper matches all of these words.') : ''}
${pager(data.page, data.totalPages, href)}`,
  });
}
