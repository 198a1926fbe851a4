/**
 * What the feeds of paper lists share: the size of a feed, the formats a URL's extension asks for, and sending a
 * feed from the response cache (a feed is the same for every reader until the data changes).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Paper } from '../../../domain/paper.ts';
import type { DayRange } from '../../../store/papers.ts';
import type { Store } from '../../../store/store.ts';
import { type FeedDescription, type FeedFormat, renderPaperFeed } from '../../feeds/paper-feed.ts';
import { FEED_TYPES } from '../feed-format.ts';
import { notFound } from '../responses.ts';
import type { Site } from '../site.ts';

export const FEED_SIZE = 50;

/** A feed URL's parameters: `format` is its extension, then whatever names the list. */
export type FeedRequest<Params = unknown> = FastifyRequest<{ Params: Params & { format: string } }>;

/** A list's feed, or why there is none (a 404 with this message). */
export type ListFeed = { description: FeedDescription; papers: Paper[] } | { problem: string };

const FORMATS: Record<string, FeedFormat> = { xml: 'rss', rss: 'rss', atom: 'atom' };

/** The papers listed in `range`, by upvotes. */
export async function windowFeed(
  store: Store,
  range: DayRange,
  description: FeedDescription,
): Promise<ListFeed> {
  return {
    description,
    papers: await store.papers.listPapers({ days: range }, { sort: 'upvotes', limit: FEED_SIZE }),
  };
}

/** Sends the feed `load` finds, as RSS (.xml, .rss) or Atom (.atom), kept in the response cache. */
export async function sendListFeed(
  request: FeedRequest,
  reply: FastifyReply,
  { config, responseCache }: Site,
  load: () => Promise<ListFeed>,
) {
  const format = FORMATS[request.params.format];
  if (!format) return notFound(reply, request, config, 'Feeds end in .xml (RSS) or .atom (Atom).');
  let problem = 'There is no such feed.';
  const response = await responseCache.response(request, async () => {
    const feed = await load();
    if ('problem' in feed) {
      problem = feed.problem;
      return null;
    }
    return {
      body: Buffer.from(renderPaperFeed(format, feed.description, feed.papers, config.baseUrl)),
      headers: { 'content-type': FEED_TYPES[format], 'cache-control': 'public, max-age=300' },
    };
  });
  if (!response) return notFound(reply, request, config, problem);
  return reply.headers(response.headers).send(response.body);
}
