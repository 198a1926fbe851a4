/** `GET /feeds/week.:format`: the papers of the latest listing day's ISO week, by upvotes. */
import type { FastifyReply } from 'fastify';
import { isoWeekOf } from '../../../domain/dates.ts';
import { latestDay } from '../papers/list-page.ts';
import type { Site } from '../site.ts';
import { type FeedRequest, sendListFeed } from './list-feed.ts';
import { weekListFeed } from './week/show.ts';

export async function latestWeekFeed(request: FeedRequest, reply: FastifyReply, site: Site) {
  return sendListFeed(request, reply, site, async () =>
    weekListFeed(site.store, isoWeekOf(await latestDay(site.store)).label, true),
  );
}
