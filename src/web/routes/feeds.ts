/**
 * `/feeds/*`: RSS (.xml, .rss) and Atom (.atom) of the lists: daily, date/DAY, week[/WEEK], month[/MONTH],
 * trending, authors/NAME, orgs/NAME.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isoWeekOf, isValidDay, monthOf, parseIsoWeek, parseMonth } from '../../domain/dates.ts';
import type { Paper } from '../../domain/paper.ts';
import { listTrending } from '../../services/trending.ts';
import type { DayRange } from '../../store/papers.ts';
import type { Store } from '../../store/store.ts';
import { formatDay, formatMonth } from '../../text/format.ts';
import { type ProfileKind, profileFeedPaths } from '../feeds/feed-links.ts';
import { type FeedDescription, type FeedFormat, renderPaperFeed } from '../feeds/paper-feed.ts';
import { FEED_TYPES } from './feed-format.ts';
import { latestDay } from './papers/list-page.ts';
import { notFound } from './responses.ts';
import type { Site } from './site.ts';

const FEED_SIZE = 50;

type Resolved = { description: FeedDescription; papers: Paper[] } | { problem: string };

async function windowFeed(store: Store, range: DayRange, description: FeedDescription): Promise<Resolved> {
  return {
    description,
    papers: await store.papers.listPapers({ days: range }, { sort: 'upvotes', limit: FEED_SIZE }),
  };
}

async function resolve(store: Store, path: string): Promise<Resolved> {
  const [kind, value] = path.split('/') as [string, string | undefined];
  if (kind === 'trending' && value === undefined) {
    const { papers } = await listTrending(store, { limit: FEED_SIZE, offset: 0 });
    return {
      description: {
        title: 'Trending papers',
        description: 'Papers the community upvotes most lately',
        pagePath: '/papers/trending',
        feedPath: '/feeds/trending',
      },
      papers,
    };
  }
  if ((kind === 'daily' && value === undefined) || kind === 'date') {
    const day = kind === 'daily' ? await latestDay(store) : (value ?? '');
    if (!isValidDay(day)) return { problem: `“${day}” is not a date: use YYYY-MM-DD` };
    return windowFeed(
      store,
      { fromDay: day, toDay: day },
      {
        title: kind === 'daily' ? 'Daily papers' : `Papers of ${formatDay(day)}`,
        description: `Papers listed on ${formatDay(day)}, by upvotes`,
        pagePath: kind === 'daily' ? '/' : `/papers/date/${day}`,
        feedPath: kind === 'daily' ? '/feeds/daily' : `/feeds/date/${day}`,
      },
    );
  }
  if (kind === 'week') {
    const week = value ?? isoWeekOf(await latestDay(store)).label;
    const range = parseIsoWeek(week);
    if (!range) return { problem: `“${week}” is not a week: use YYYY-Www` };
    return windowFeed(store, range, {
      title: value ? `Papers of ${week}` : 'Weekly papers',
      description: `Papers listed in ${week}, by upvotes`,
      pagePath: `/papers/week/${week}`,
      feedPath: value ? `/feeds/week/${week}` : '/feeds/week',
    });
  }
  if (kind === 'month') {
    const month = value ?? monthOf(await latestDay(store));
    const range = parseMonth(month);
    if (!range) return { problem: `“${month}” is not a month: use YYYY-MM` };
    return windowFeed(store, range, {
      title: value ? `Papers of ${formatMonth(month)}` : 'Monthly papers',
      description: `Papers listed in ${formatMonth(month)}, by upvotes`,
      pagePath: `/papers/month/${month}`,
      feedPath: value ? `/feeds/month/${month}` : '/feeds/month',
    });
  }
  return {
    problem:
      'There is no such feed. Feeds: /feeds/daily, /feeds/week, /feeds/month, /feeds/trending (.xml or .atom).',
  };
}

/** An author's or organization's papers, newest first like their page. */
async function resolveProfile(store: Store, kind: ProfileKind, name: string): Promise<Resolved> {
  const filter = kind === 'author' ? { author: name } : { organization: name };
  const papers = await store.papers.listPapers(filter, { sort: 'newest', limit: FEED_SIZE });
  if (papers.length === 0)
    return { problem: `No papers ${kind === 'author' ? 'by' : 'from'} “${name}” here.` };
  const { pagePath, feedPath } = profileFeedPaths(kind, name);
  const title = `Papers ${kind === 'author' ? 'by' : 'from'} ${name}`;
  return { description: { title, description: `${title}, newest first`, pagePath, feedPath }, papers };
}

export async function feed(
  request: FastifyRequest<{ Params: { '*': string } }>,
  reply: FastifyReply,
  { store, config, responseCache }: Site,
) {
  const path = request.params['*'];
  const profile = /^(authors|orgs)\/(.+)\.(xml|rss|atom)$/.exec(path);
  const match = profile ? null : /^([a-z]+(?:\/[0-9W-]+)?)\.(xml|rss|atom)$/.exec(path);
  if (profile?.[2] === undefined && !match?.[1])
    return notFound(reply, request, config, 'Feeds end in .xml (RSS) or .atom (Atom).');
  // A feed is the same for every reader until the data changes: cached like the pages.
  let problem: string | null = null;
  const response = await responseCache.response(request.url, async () => {
    const resolved =
      profile?.[2] !== undefined
        ? await resolveProfile(store, profile[1] === 'authors' ? 'author' : 'organization', profile[2])
        : await resolve(store, match?.[1] ?? '');
    if ('problem' in resolved) {
      problem = resolved.problem;
      return null;
    }
    const format: FeedFormat = (profile?.[3] ?? match?.[2]) === 'atom' ? 'atom' : 'rss';
    return {
      body: Buffer.from(renderPaperFeed(format, resolved.description, resolved.papers, config.baseUrl)),
      headers: { 'content-type': FEED_TYPES[format], 'cache-control': 'public, max-age=300' },
    };
  });
  if (!response) return notFound(reply, request, config, problem ?? 'There is no such feed.');
  return reply.headers(response.headers).send(response.body);
}
