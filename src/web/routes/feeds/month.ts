/** `GET /feeds/month.:format`: the papers of the latest listing day's month, by upvotes. */
import type { FastifyReply } from 'fastify';
import { monthOf } from '../../../domain/dates.ts';
import { latestDay } from '../papers/list-page.ts';
import type { Site } from '../site.ts';
import { type FeedRequest, sendListFeed } from './list-feed.ts';
import { monthListFeed } from './month/show.ts';

export async function latestMonthFeed(request: FeedRequest, reply: FastifyReply, site: Site) {
  return sendListFeed(request, reply, site, async () =>
    monthListFeed(site.store, monthOf(await latestDay(site.store)), true),
  );
}
