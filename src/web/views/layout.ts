import type { Member } from '../../domain/member.ts';
import { html, type SafeHtml } from '../../text/html.ts';
import type { ImageLinks } from './images.ts';

/** What every page knows about the request it answers. */
export interface PageContext {
  member: Member | null;
  /** The member's unread notifications (the header shows the count). */
  unreadNotifications?: number;
  csrfToken: string;
  /** Path of the current page, for the active nav item and "back" links. */
  path: string;
  baseUrl: string;
  /** Our copies of remote images; absent, pages show generated avatars and no thumbnails. */
  images?: ImageLinks | null;
}

export interface FeedLink {
  title: string;
  href: string;
  type: 'application/rss+xml' | 'application/atom+xml';
}

export interface PageOptions {
  title: string;
  description?: string;
  /** Path of the canonical URL. */
  canonical?: string;
  og?: { type: 'website' | 'article'; image?: string | null };
  feeds?: FeedLink[];
  body: SafeHtml;
  /** More in <head>: metadata for machines (citation tags, JSON-LD). */
  head?: SafeHtml;
  /** Shown in the header search box. */
  query?: string;
}

const NAV = [
  ['/', 'Daily'],
  ['/papers/week', 'Weekly'],
  ['/papers/month', 'Monthly'],
  ['/papers/trending', 'Trending'],
  ['/submit', 'Submit'],
] as const;

/** Beside the period links, for members: their own list and library. */
const MEMBER_NAV = [
  ['/for-you', 'For you'],
  ['/library', 'Library'],
] as const;

const LOGO = html`<svg width="22" height="22" viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"><path d="M6 3h9l4 4v14H6z"/><path d="M14 3v5h5"/><path d="M9 13h7M9 17h5"/></svg>`;

const BELL = html`<svg width="20" height="20" viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"><path d="M6 16V11a6 6 0 0 1 12 0v5l1.5 2h-15z"/><path d="M10 20.5a2 2 0 0 0 4 0"/></svg>`;

function isActive(href: string, path: string): boolean {
  if (href === '/') return path === '/' || path.startsWith('/papers/date');
  return path.startsWith(href);
}

function accountArea(context: PageContext): SafeHtml {
  if (!context.member) {
    return html`<a href="/login">Log in</a> <a class="button button-primary" href="/signup">Sign up</a>`;
  }
  const unread = context.unreadNotifications ?? 0;
  return html`<a class="notifications-link" href="/notifications" title="Notifications"${context.path === '/notifications' ? html` aria-current="page"` : ''}>${BELL}<span class="visually-hidden">Notifications</span>${
    unread > 0
      ? html`<span class="count-badge" data-testid="unread-count">${unread > 99 ? '99+' : String(unread)}</span><span class="visually-hidden"> unread</span>`
      : ''
  }</a>
    <a href="/account" title="Your account">${context.member.username}</a>
    <form method="post" action="/logout"><input type="hidden" name="_csrf" value="${context.csrfToken}"><button class="link-button" type="submit">Log out</button></form>`;
}

export function renderPage(context: PageContext, page: PageOptions): string {
  const title = page.title === 'Dailypapers' ? page.title : `${page.title} · Dailypapers`;
  const canonical = `${context.baseUrl}${page.canonical ?? context.path}`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
${page.description ? html`<meta name="description" content="${page.description}">` : ''}
<link rel="canonical" href="${canonical}">
<meta property="og:site_name" content="Dailypapers">
<meta property="og:title" content="${page.title}">
<meta property="og:type" content="${page.og?.type ?? 'website'}">
<meta property="og:url" content="${canonical}">
${page.description ? html`<meta property="og:description" content="${page.description}">` : ''}
${page.og?.image ? html`<meta property="og:image" content="${page.og.image}"><meta name="twitter:card" content="summary_large_image">` : html`<meta name="twitter:card" content="summary">`}
${(page.feeds ?? []).map((feed) => html`<link rel="alternate" type="${feed.type}" title="${feed.title}" href="${feed.href}">`)}
${page.head ?? ''}
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/katex/katex.min.css">
<link rel="stylesheet" href="/assets/app.css">
<script src="/assets/theme.js"></script>
<script src="/assets/app.js" defer></script>
</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="site-header${context.member ? ' has-member-nav' : ''}">
  <div class="container">
    <a class="brand" href="/">${LOGO}Dailypapers</a>
    <nav class="nav" aria-label="Main">
      ${[...NAV.slice(0, 4), ...(context.member ? MEMBER_NAV : []), ...NAV.slice(4)].map(([href, label]) => html`<a href="${href}"${isActive(href, context.path) ? html` aria-current="page"` : ''}>${label}</a>`)}
    </nav>
    <a class="search-icon" href="/search" aria-label="Search papers"><svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true"><circle cx="10.5" cy="10.5" r="6.5" fill="none" stroke="currentColor" stroke-width="2"/><path d="M15.5 15.5 21 21" stroke="currentColor" stroke-width="2" stroke-linecap="round"/></svg></a>
    <form class="header-search" role="search" aria-label="Site" action="/search" method="get">
      <input type="search" name="q" value="${page.query ?? ''}" placeholder="Search papers" aria-label="Search papers">
      <button type="submit" class="search-submit">Search</button>
    </form>
    <div class="account">
      <button id="theme-toggle" class="icon-button" type="button" hidden aria-label="Toggle dark mode">☾</button>
      ${accountArea(context)}
    </div>
  </div>
</header>
<main id="main" class="container">
${page.body}
</main>
<footer class="site-footer">
  <div class="container">
    <span>Dailypapers: papers your community upvotes, day by day.</span>
    <span><a href="/api/docs">API</a> · <a href="/feeds/daily.xml">RSS</a> · <a href="/feeds/daily.atom">Atom</a></span>
  </div>
</footer>
</body>
</html>`.value;
}
