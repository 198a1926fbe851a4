/** `GET /feeds/trending.:format`: the papers the community upvotes most lately. */
import type { FastifyReply } from 'fastify';
import { listTrending } from '../../../services/trending.ts';
import type { Site } from '../site.ts';
import { FEED_SIZE, type FeedRequest, sendListFeed } from './list-feed.ts';

export async function trendingFeed(request: FeedRequest, reply: FastifyReply, site: Site) {
  return sendListFeed(request, reply, site, async () => {
    const { papers } = await listTrending(site.store, { limit: FEED_SIZE, offset: 0 });
    const description = {
      title: 'Trending papers',
      description: 'Papers the community upvotes most lately',
      pagePath: '/papers/trending',
      feedPath: '/feeds/trending',
    };
    return { description, papers };
  });
}
