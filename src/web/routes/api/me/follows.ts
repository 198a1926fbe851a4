/** `GET /api/me/follows`, `POST /api/me/follows` and `POST /api/me/follows/:id/delete`. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { follow, unfollow } from '../../../../services/follows.ts';
import type { WithBody } from '../../../api/params.ts';
import type { followBody } from '../../../api/personal-params.ts';
import { memberOf } from '../../guards.ts';
import type { Site } from '../../site.ts';
import { asParameterError } from './parameter-error.ts';

export async function followsApi(request: FastifyRequest, _reply: FastifyReply, site: Site) {
  return site.store.follows.list(memberOf(request).id);
}

export async function followApi(request: WithBody<typeof followBody>, reply: FastifyReply, site: Site) {
  const member = memberOf(request);
  const body = request.body;
  const result = await asParameterError(() => follow(site.store, member, body));
  return reply.code(result.created ? 201 : 200).send(result.follow);
}

export async function unfollowApi(
  request: FastifyRequest<{ Params: { id: string } }>,
  reply: FastifyReply,
  site: Site,
) {
  await unfollow(site.store, memberOf(request), request.params.id);
  return reply.code(204).send();
}
