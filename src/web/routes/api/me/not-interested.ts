/** `POST /api/me/not-interested`: keep a paper out of the member's feed (or, with `undo`, let it back). */
import type { FastifyReply } from 'fastify';
import { setNotInterested } from '../../../../services/library.ts';
import type { WithBody } from '../../../api/params.ts';
import type { notInterestedBody } from '../../../api/personal-params.ts';
import { memberOf } from '../../guards.ts';
import type { Site } from '../../site.ts';

export async function notInterestedApi(
  request: WithBody<typeof notInterestedBody>,
  reply: FastifyReply,
  site: Site,
) {
  const body = request.body;
  await setNotInterested(site.store, memberOf(request), body.paperId, !body.undo);
  return reply.code(204).send();
}
