/** `POST /papers/:paper/hide` (admins): hide a paper from lists, search and feeds, or show it again. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { setPaperHidden } from '../../../services/moderation.ts';
import { redirectAfterPost } from '../../request-context.ts';
import { paperParam } from '../register-routes.ts';
import { notFound } from '../responses.ts';
import type { Site } from '../site.ts';

export async function hidePaper(
  request: FastifyRequest<{ Body: Record<string, string | undefined> }>,
  reply: FastifyReply,
  site: Site,
) {
  const paperId = paperParam(request);
  if (!paperId) return notFound(reply, request, site.config, 'There is no such paper.');
  await setPaperHidden(site.store, paperId, (request.body ?? {}).hidden !== 'false');
  return redirectAfterPost(reply, `/papers/${paperId}`);
}
