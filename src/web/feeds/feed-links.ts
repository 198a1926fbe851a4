import type { FeedLink } from '../views/layout.ts';

/** The feed paths a list page advertises: the live feed of its kind, then the one for exactly this list. */
export function feedLinksFor(
  kind: 'daily' | 'week' | 'month' | 'trending',
  value: string | null,
  title: string,
) {
  const live = {
    daily: '/feeds/daily',
    week: '/feeds/week',
    month: '/feeds/month',
    trending: '/feeds/trending',
  }[kind];
  const exact = value === null ? null : `/feeds/${kind === 'daily' ? 'date' : kind}/${value}`;
  return [live, ...(exact ? [exact] : [])].flatMap((path, index) => {
    const label = index === 0 && exact ? `${title}, latest` : title;
    return [
      { title: `${label} (RSS)`, href: `${path}.xml`, type: 'application/rss+xml' as const },
      { title: `${label} (Atom)`, href: `${path}.atom`, type: 'application/atom+xml' as const },
    ];
  });
}

/** What a page whose list has no feed of its own advertises: the site's daily and trending feeds. */
export const SITE_FEEDS: FeedLink[] = [
  ...feedLinksFor('daily', null, 'Daily papers'),
  ...feedLinksFor('trending', null, 'Trending papers'),
];
