/** `POST /papers/:paper/hide` (admins): hide a paper from lists, search and feeds, or show it again. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { setPaperHidden } from '../../../services/moderation.ts';
import { redirectAfterPost } from '../../request-context.ts';
import { actionPaperId } from '../register-routes.ts';
import type { Site } from '../site.ts';

export async function hidePaper(
  request: FastifyRequest<{ Body: Record<string, string | undefined> }>,
  reply: FastifyReply,
  site: Site,
) {
  const paperId = actionPaperId(request);
  await setPaperHidden(site.store, paperId, (request.body ?? {}).hidden !== 'false');
  return redirectAfterPost(reply, `/papers/${paperId}`);
}
