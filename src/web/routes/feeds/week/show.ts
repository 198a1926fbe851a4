/** `GET /feeds/week/:week.:format`: the papers of an ISO week, by upvotes. */
import type { FastifyReply } from 'fastify';
import { parseIsoWeek } from '../../../../domain/dates.ts';
import type { Store } from '../../../../store/store.ts';
import type { Site } from '../../site.ts';
import { type FeedRequest, type ListFeed, sendListFeed, windowFeed } from '../list-feed.ts';

/** The feed of `week`; `latest` for the live feed of the latest week, `/feeds/week`. */
export async function weekListFeed(store: Store, week: string, latest: boolean): Promise<ListFeed> {
  const range = parseIsoWeek(week);
  if (!range) return { problem: `“${week}” is not a week: use YYYY-Www` };
  return windowFeed(store, range, {
    title: latest ? 'Weekly papers' : `Papers of ${week}`,
    description: `Papers listed in ${week}, by upvotes`,
    pagePath: `/papers/week/${week}`,
    feedPath: latest ? '/feeds/week' : `/feeds/week/${week}`,
  });
}

export async function weekFeed(request: FeedRequest<{ week: string }>, reply: FastifyReply, site: Site) {
  return sendListFeed(request, reply, site, () => weekListFeed(site.store, request.params.week, false));
}
