/** `GET /feeds/orgs/:name.:format`: an organization's papers, newest first. */
import type { FastifyReply } from 'fastify';
import type { Site } from '../../site.ts';
import type { FeedRequest } from '../list-feed.ts';
import { sendProfileFeed } from '../profile-feed.ts';

export async function organizationFeed(
  request: FeedRequest<{ name: string }>,
  reply: FastifyReply,
  site: Site,
) {
  return sendProfileFeed(request, reply, site, 'organization');
}
