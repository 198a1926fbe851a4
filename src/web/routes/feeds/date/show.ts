/** `GET /feeds/date/:day.:format`: the papers of one listing day, by upvotes. */
import type { FastifyReply } from 'fastify';
import { isValidDay } from '../../../../domain/dates.ts';
import { formatDay } from '../../../../text/format.ts';
import type { Site } from '../../site.ts';
import { type FeedRequest, sendListFeed, windowFeed } from '../list-feed.ts';

export async function dayFeed(request: FeedRequest<{ day: string }>, reply: FastifyReply, site: Site) {
  const { day } = request.params;
  return sendListFeed(request, reply, site, async () => {
    if (!isValidDay(day)) return { problem: `“${day}” is not a date: use YYYY-MM-DD` };
    return windowFeed(
      site.store,
      { fromDay: day, toDay: day },
      {
        title: `Papers of ${formatDay(day)}`,
        description: `Papers listed on ${formatDay(day)}, by upvotes`,
        pagePath: `/papers/date/${day}`,
        feedPath: `/feeds/date/${day}`,
      },
    );
  });
}
