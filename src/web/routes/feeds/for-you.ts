/** `GET /feeds/for-you/:token.(rss|atom|xml)`: the member's "For you" papers as a private feed. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { recommend } from '../../../domain/recommend/recommend.ts';
import { forYou } from '../../../services/for-you.ts';
import { memberOfFeedToken } from '../../../services/personal-feed-token.ts';
import { NotFoundError } from '../../../store/store.ts';
import { renderPaperFeed } from '../../feeds/paper-feed.ts';
import { FEED_TYPES, splitFormat } from '../feed-format.ts';
import { FOR_YOU_SIZE } from '../for-you.ts';
import type { Site } from '../site.ts';

export async function forYouFeed(
  request: FastifyRequest<{ Params: { token: string } }>,
  reply: FastifyReply,
  { store, config }: Site,
) {
  const { name: token, format } = splitFormat(request.params.token);
  const member =
    format === 'html' || format === 'json' ? null : await memberOfFeedToken(store, config, token);
  if (!member || format === 'html' || format === 'json') throw new NotFoundError('feed');
  const result = await forYou({ store, recommend }, member, { limit: FOR_YOU_SIZE });
  reply.header('cache-control', 'private, no-store');
  reply.header('x-robots-tag', 'noindex');
  return reply.type(FEED_TYPES[format]).send(
    renderPaperFeed(
      format,
      {
        title: `For ${member.username}`,
        description: 'Recent papers ranked for you',
        pagePath: '/for-you',
        feedPath: `/feeds/for-you/${token}`,
      },
      result.items.map((item) => item.paper),
      config.baseUrl,
    ),
  );
}
