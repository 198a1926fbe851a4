/** `/papers/trending`: recent upvotes count most. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { listTrending } from '../../../services/trending.ts';
import { feedLinksFor } from '../../feeds/feed-links.ts';
import { HTML } from '../responses.ts';
import type { Site } from '../site.ts';
import { renderPaperList } from './list-page.ts';

export async function trending(request: FastifyRequest, reply: FastifyReply, site: Site) {
  const html = await site.pageCache.page(request, reply, () =>
    renderPaperList(
      site,
      request,
      {
        period: 'trending',
        heading: 'Trending Papers',
        subtitle: 'Recent upvotes count most; GitHub stars gained lately add a bonus',
        value: null,
        previous: null,
        next: null,
        feeds: feedLinksFor('trending', null, 'Trending papers'),
        empty: 'Nothing is trending yet: upvote the papers you like.',
      },
      (limit, offset) => listTrending(site.store, { limit, offset }),
    ),
  );
  return reply.type(HTML).send(html);
}
