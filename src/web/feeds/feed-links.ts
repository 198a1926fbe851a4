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

export type ProfileKind = 'author' | 'organization';

/** An author's or organization's page, and its feed without extension. */
export function profileFeedPaths(kind: ProfileKind, name: string): { pagePath: string; feedPath: string } {
  const segment = kind === 'author' ? 'authors' : 'orgs';
  return {
    pagePath: `/${segment}/${encodeURIComponent(name)}`,
    feedPath: `/feeds/${segment}/${encodeURIComponent(name)}`,
  };
}

export function profileFeedLinks(kind: ProfileKind, name: string): FeedLink[] {
  const { feedPath } = profileFeedPaths(kind, name);
  const title = `Papers ${kind === 'author' ? 'by' : 'from'} ${name}`;
  return [
    { title: `${title} (RSS)`, href: `${feedPath}.xml`, type: 'application/rss+xml' },
    { title: `${title} (Atom)`, href: `${feedPath}.atom`, type: 'application/atom+xml' },
  ];
}
