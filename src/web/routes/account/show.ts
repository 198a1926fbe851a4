/** `GET /account`: the member's account page. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { renderAccountPage } from '../../views/account-pages.ts';
import { memberOf } from '../guards.ts';
import { HTML } from '../responses.ts';
import type { Site } from '../site.ts';

export async function accountPage(request: FastifyRequest, reply: FastifyReply, site: Site) {
  const tokens = await site.store.apiTokens.list(memberOf(request).id);
  return reply.type(HTML).send(renderAccountPage(site.pageContext(request), {}, { tokens }));
}
