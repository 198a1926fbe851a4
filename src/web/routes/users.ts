/** `GET /users/:name`: a member's public page. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { loadMemberPage } from '../../services/member-page.ts';
import { renderMemberPage } from '../views/member-page.ts';
import { HTML, notFound } from './responses.ts';
import type { Site } from './site.ts';

export async function memberPage(
  request: FastifyRequest<{ Params: { name: string } }>,
  reply: FastifyReply,
  site: Site,
) {
  const page = await loadMemberPage(site.store, request.params.name);
  if (!page) return notFound(reply, request, site.config, `There is no member “${request.params.name}”.`);
  return reply.type(HTML).send(renderMemberPage(site.pageContext(request), page));
}
