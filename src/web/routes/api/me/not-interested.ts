/** `POST /api/me/not-interested`: keep a paper out of the member's feed (or, with `undo`, let it back). */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { setNotInterested } from '../../../../services/library.ts';
import { notInterestedBody, parseBody } from '../../../api/personal-params.ts';
import { memberOf } from '../../guards.ts';
import type { Site } from '../../site.ts';

export async function notInterestedApi(request: FastifyRequest, reply: FastifyReply, site: Site) {
  const body = parseBody(notInterestedBody, request.body);
  await setNotInterested(site.store, memberOf(request), body.paperId, !body.undo);
  return reply.code(204).send();
}
