import type { Paper } from '../domain/paper.ts';
import { html, raw, type SafeHtml } from './html.ts';

const STYLE = `
:root { color-scheme: light dark; --fg: #1b1f24; --muted: #5b636e; --bg: #fff; --card: #f6f7f9; --accent: #c2410c; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6e8eb; --muted: #9aa3ad; --bg: #111418; --card: #1a1f25; --accent: #fb923c; } }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
main, header { max-width: 52rem; margin: 0 auto; padding: 0 1rem; }
header { display: flex; align-items: baseline; gap: 1rem; padding-top: 1rem; }
header a { color: inherit; text-decoration: none; font-weight: 700; font-size: 1.25rem; }
a { color: var(--accent); }
ol { list-style: none; padding: 0; }
li { display: flex; gap: 1rem; background: var(--card); border-radius: .75rem; padding: .75rem 1rem; margin: .75rem 0; }
.votes { min-width: 3rem; text-align: center; font-weight: 700; }
.votes small { display: block; font-weight: 400; color: var(--muted); }
h2 { font-size: 1.05rem; margin: 0 0 .25rem; }
h2 a { color: inherit; text-decoration: none; } h2 a:hover { text-decoration: underline; }
.meta { color: var(--muted); font-size: .9rem; }
nav.days { display: flex; justify-content: space-between; }
`;

function layout(title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${raw(STYLE)}</style>
</head>
<body>
<header><a href="/">Dailypapers</a></header>
<main>${body}</main>
</body>
</html>`.value;
}

const longDate = new Intl.DateTimeFormat('en-US', {
  weekday: 'short',
  month: 'short',
  day: 'numeric',
  year: 'numeric',
  timeZone: 'UTC',
});

export function formatDay(day: string): string {
  return longDate.format(new Date(`${day}T00:00:00Z`));
}

function paperItem(paper: Paper): SafeHtml {
  const count = paper.authors.length;
  return html`<li>
  <div class="votes">${paper.upvotes}<small>upvotes</small></div>
  <div>
    <h2><a href="/papers/${paper.id}">${paper.title}</a></h2>
    <div class="meta">${count} author${count === 1 ? '' : 's'}${paper.organization ? html` · ${paper.organization.fullName ?? paper.organization.name}` : ''}${paper.numComments ? ` · ${paper.numComments} comments` : ''}</div>
  </div>
</li>`;
}

export interface DayPageData {
  day: string;
  papers: Paper[];
  previous: string | null;
  next: string | null;
  baseUrl: string;
}

export function renderDayPage({ day, papers, previous, next }: DayPageData): string {
  return layout(
    `Daily papers · ${formatDay(day)}`,
    html`<h1>Papers of ${formatDay(day)}</h1>
<nav class="days">
  <span>${previous ? html`<a href="/papers/date/${previous}" rel="prev">← ${formatDay(previous)}</a>` : ''}</span>
  <span>${next ? html`<a href="/papers/date/${next}" rel="next">${formatDay(next)} →</a>` : ''}</span>
</nav>
${papers.length ? html`<ol>${papers.map(paperItem)}</ol>` : html`<p>No papers were listed on this day.</p>`}`,
  );
}

export function renderPaperPage({ paper }: { paper: Paper; baseUrl: string }): string {
  return layout(
    paper.title,
    html`<article>
<h1>${paper.title}</h1>
<p class="meta">${paper.authors.map((author) => author.name).join(', ')}</p>
<p class="meta">${paper.upvotes} upvotes${paper.daily ? ` · listed ${formatDay(paper.daily.day)}` : ''}</p>
<p><a href="${paper.absUrl}">arXiv</a> · <a href="${paper.pdfUrl}">PDF</a>${paper.githubRepo ? html` · <a href="${paper.githubRepo}">GitHub</a>` : ''}${paper.projectPage ? html` · <a href="${paper.projectPage}">Project page</a>` : ''}</p>
${paper.abstract.split('\n\n').map((paragraph) => html`<p>${paragraph}</p>`)}
</article>`,
  );
}

export function renderNotFoundPage(message: string): string {
  return layout(
    'Not found · Dailypapers',
    html`<h1>Not found</h1><p>${message}</p><p><a href="/">Today's papers</a></p>`,
  );
}
