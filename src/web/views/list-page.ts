import type { Paper } from '../../domain/paper.ts';
import { html, type SafeHtml } from '../../text/html.ts';
import type { FeedLink, PageContext } from './layout.ts';
import { renderPage } from './layout.ts';
import { pager } from './pager.ts';
import { paperList } from './paper-card.ts';
import { subscribeForm } from './subscribe-form.ts';

export type Period = 'day' | 'week' | 'month' | 'trending' | 'for-you';

export interface ListPageData {
  period: Period;
  heading: string;
  subtitle: string;
  /** Value of the period (2026-11-24, 2026-W48, 2026-11) for the date picker and tabs. */
  value: string | null;
  previous: { href: string; label: string } | null;
  next: { href: string; label: string } | null;
  papers: Paper[];
  upvoted: Set<string>;
  /** The member's tags on the papers they saved. */
  saved?: ReadonlyMap<string, string[]>;
  page: number;
  totalPages: number;
  feeds: FeedLink[];
  empty: string;
}

/** The period tabs; members also get "For you". */
export function periodTabs(context: PageContext, current: Period, day: string | null = null): SafeHtml {
  const items: Array<[Period, string, string]> = [
    ['day', 'Day', day ? `/papers/date/${day}` : '/'],
    ['week', 'Week', '/papers/week'],
    ['month', 'Month', '/papers/month'],
    ['trending', 'Trending', '/papers/trending'],
    ...(context.member ? [['for-you', 'For you', '/for-you'] as [Period, string, string]] : []),
  ];
  return html`<nav class="tabs" aria-label="Period">${items.map(
    ([period, label, href]) =>
      html`<a href="${href}"${period === current ? html` aria-current="page"` : ''}>${label}</a>`,
  )}</nav>`;
}

function picker(data: ListPageData): SafeHtml | '' {
  if (data.period === 'trending') return '';
  const [type, name, action] =
    data.period === 'day'
      ? ['date', 'date', '/papers/date']
      : data.period === 'week'
        ? ['week', 'week', '/papers/week']
        : ['month', 'month', '/papers/month'];
  return html`<form method="get" action="${action}">
  <input id="period-picker" type="${type}" name="${name}" value="${data.value ?? ''}" aria-label="Go to ${data.period}">
  <button type="submit">Go</button>
</form>`;
}

export function renderListPage(context: PageContext, data: ListPageData): string {
  return renderPage(context, {
    title: data.heading,
    description: data.subtitle,
    feeds: data.feeds,
    body: html`<div class="page-head">
  <div>
    <h1>${data.heading}</h1>
    <p class="subtitle">${data.subtitle}</p>
  </div>
  ${periodTabs(context, data.period, data.period === 'day' ? data.value : null)}
</div>
<div class="page-head">
  <div class="period-nav">
    ${data.previous ? html`<a class="button" href="${data.previous.href}" rel="prev">← ${data.previous.label}</a>` : ''}
    ${data.next ? html`<a class="button" href="${data.next.href}" rel="next">${data.next.label} →</a>` : ''}
  </div>
  <div class="period-nav">${picker(data)}</div>
</div>
${paperList(data.papers, context, data.upvoted, data.empty, data.saved)}
${pager(data.page, data.totalPages, (page) => `${context.path}?p=${page}`)}
${subscribeForm(context)}`,
  });
}
