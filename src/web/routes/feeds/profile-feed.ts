/** What the author and organization feeds share: their papers, newest first like their pages. */
import type { FastifyReply } from 'fastify';
import { type ProfileKind, profileFeedPaths } from '../../feeds/feed-links.ts';
import type { Site } from '../site.ts';
import { FEED_SIZE, type FeedRequest, sendListFeed } from './list-feed.ts';

export async function sendProfileFeed(
  request: FeedRequest<{ name: string }>,
  reply: FastifyReply,
  site: Site,
  kind: ProfileKind,
) {
  const { name } = request.params;
  return sendListFeed(request, reply, site, async () => {
    const filter = kind === 'author' ? { author: name } : { organization: name };
    const papers = await site.store.papers.listPapers(filter, { sort: 'newest', limit: FEED_SIZE });
    const relation = kind === 'author' ? 'by' : 'from';
    if (papers.length === 0) return { problem: `No papers ${relation} “${name}” here.` };
    const { pagePath, feedPath } = profileFeedPaths(kind, name);
    const title = `Papers ${relation} ${name}`;
    return { description: { title, description: `${title}, newest first`, pagePath, feedPath }, papers };
  });
}
