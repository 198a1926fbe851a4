/** `GET /feeds/daily.:format`: the papers of the latest listing day, by upvotes. */
import type { FastifyReply } from 'fastify';
import { formatDay } from '../../../text/format.ts';
import { latestDay } from '../papers/list-page.ts';
import type { Site } from '../site.ts';
import { type FeedRequest, sendListFeed, windowFeed } from './list-feed.ts';

export async function dailyFeed(request: FeedRequest, reply: FastifyReply, site: Site) {
  return sendListFeed(request, reply, site, async () => {
    const day = await latestDay(site.store);
    return windowFeed(
      site.store,
      { fromDay: day, toDay: day },
      {
        title: 'Daily papers',
        description: `Papers listed on ${formatDay(day)}, by upvotes`,
        pagePath: '/',
        feedPath: '/feeds/daily',
      },
    );
  });
}
