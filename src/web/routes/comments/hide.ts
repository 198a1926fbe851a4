/** `POST /comments/:id/hide` (admins): hide a comment, or show it again; back to the page it was hidden on. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { setCommentHidden } from '../../../services/moderation.ts';
import { redirectAfterPost, refererPath } from '../../request-context.ts';
import { notFound } from '../responses.ts';
import type { Site } from '../site.ts';

export async function hideComment(
  request: FastifyRequest<{ Params: { id: string }; Body: Record<string, string | undefined> }>,
  reply: FastifyReply,
  site: Site,
) {
  const id = Number(request.params.id);
  if (!Number.isInteger(id)) return notFound(reply, request, site.config, 'There is no such comment.');
  await setCommentHidden(site.store, id, (request.body ?? {}).hidden !== 'false');
  return redirectAfterPost(reply, refererPath(request));
}
