/** `POST /library/save`, `/library/untag` and `/library/remove`: save a paper with tags, drop a tag, unsave it. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { savePaper, unsavePaper, untagPaper } from '../../../services/library.ts';
import { memberOf } from '../guards.ts';
import { formDone, type PersonalForm, paperIdField } from '../personal-forms.ts';
import type { Site } from '../site.ts';

type FormRequest = FastifyRequest<{ Body: PersonalForm }>;

export async function save(request: FormRequest, reply: FastifyReply, site: Site) {
  const form = request.body ?? {};
  const saved = await savePaper(site.store, memberOf(request), paperIdField(form), form.tags);
  return formDone(request, reply, form, '/library', saved);
}

export async function untag(request: FormRequest, reply: FastifyReply, site: Site) {
  const form = request.body ?? {};
  await untagPaper(site.store, memberOf(request), paperIdField(form), form.tag);
  return formDone(request, reply, form, '/library', { ok: true });
}

export async function unsave(request: FormRequest, reply: FastifyReply, site: Site) {
  const form = request.body ?? {};
  await unsavePaper(site.store, memberOf(request), paperIdField(form));
  return formDone(request, reply, form, '/library', { ok: true });
}
