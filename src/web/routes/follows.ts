/** `POST /follows` and `POST /follows/:id/delete`: follow an author, an organization or a topic, and stop. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isFollowKind } from '../../domain/follows.ts';
import { FormError } from '../../services/accounts.ts';
import { follow, unfollow } from '../../services/follows.ts';
import { wantsJson } from '../request-context.ts';
import { memberOf } from './guards.ts';
import { formDone, type PersonalForm } from './personal-forms.ts';
import type { Site } from './site.ts';

export async function addFollow(
  request: FastifyRequest<{ Body: PersonalForm }>,
  reply: FastifyReply,
  site: Site,
) {
  const form = request.body ?? {};
  if (!isFollowKind(form.kind)) throw new FormError({ kind: 'follow an author, an organization or a topic' });
  const result = await follow(site.store, memberOf(request), {
    kind: form.kind,
    target: form.target,
    label: form.label,
  });
  reply.code(wantsJson(request) && result.created ? 201 : 200);
  return formDone(request, reply, form, '/following', result.follow);
}

export async function deleteFollow(
  request: FastifyRequest<{ Params: { id: string }; Body: PersonalForm }>,
  reply: FastifyReply,
  site: Site,
) {
  await unfollow(site.store, memberOf(request), request.params.id);
  return formDone(request, reply, request.body ?? {}, '/following', { ok: true });
}
