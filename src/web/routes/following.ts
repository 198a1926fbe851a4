/** `GET /following`: what the member follows. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { renderFollowingPage } from '../views/following-page.ts';
import { memberOf } from './guards.ts';
import { HTML } from './responses.ts';
import type { Site } from './site.ts';

export async function followingPage(request: FastifyRequest, reply: FastifyReply, site: Site) {
  const follows = await site.store.follows.list(memberOf(request).id);
  return reply.type(HTML).send(renderFollowingPage(site.pageContext(request), follows));
}
