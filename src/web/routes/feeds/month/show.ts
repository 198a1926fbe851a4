/** `GET /feeds/month/:month.:format`: the papers of a month, by upvotes. */
import type { FastifyReply } from 'fastify';
import { parseMonth } from '../../../../domain/dates.ts';
import type { Store } from '../../../../store/store.ts';
import { formatMonth } from '../../../../text/format.ts';
import type { Site } from '../../site.ts';
import { type FeedRequest, type ListFeed, sendListFeed, windowFeed } from '../list-feed.ts';

/** The feed of `month`; `latest` for the live feed of the latest month, `/feeds/month`. */
export async function monthListFeed(store: Store, month: string, latest: boolean): Promise<ListFeed> {
  const range = parseMonth(month);
  if (!range) return { problem: `“${month}” is not a month: use YYYY-MM` };
  return windowFeed(store, range, {
    title: latest ? 'Monthly papers' : `Papers of ${formatMonth(month)}`,
    description: `Papers listed in ${formatMonth(month)}, by upvotes`,
    pagePath: `/papers/month/${month}`,
    feedPath: latest ? '/feeds/month' : `/feeds/month/${month}`,
  });
}

export async function monthFeed(request: FeedRequest<{ month: string }>, reply: FastifyReply, site: Site) {
  return sendListFeed(request, reply, site, () => monthListFeed(site.store, request.params.month, false));
}
