/** `POST /papers/:paper/upvote`: upvote or take the upvote back (JSON for the page's script, else a redirect). */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { upvotePaper } from '../../../services/engagement.ts';
import { redirectAfterPost, safeNext, wantsJson } from '../../request-context.ts';
import { memberOf } from '../guards.ts';
import { actionPaperId } from '../register-routes.ts';
import type { Site } from '../site.ts';

export async function upvote(
  request: FastifyRequest<{ Body: Record<string, string | undefined> }>,
  reply: FastifyReply,
  site: Site,
) {
  const paperId = actionPaperId(request);
  const form = request.body ?? {};
  const result = await upvotePaper(site.store, memberOf(request), paperId, form.upvoted !== 'false');
  if (wantsJson(request)) return result;
  return redirectAfterPost(reply, safeNext(form.next, `/papers/${paperId}`));
}
