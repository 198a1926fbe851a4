/** `POST /library/not-interested`: keep a paper out of "For you" (or, with `undo`, let it back). */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { setNotInterested } from '../../../services/library.ts';
import { memberOf } from '../guards.ts';
import { formDone, type PersonalForm, paperIdField } from '../personal-forms.ts';
import type { Site } from '../site.ts';

export async function notInterested(
  request: FastifyRequest<{ Body: PersonalForm }>,
  reply: FastifyReply,
  site: Site,
) {
  const form = request.body ?? {};
  await setNotInterested(site.store, memberOf(request), paperIdField(form), form.undo !== 'true');
  return formDone(request, reply, form, '/for-you', { ok: true });
}
