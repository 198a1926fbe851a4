/** `POST /library/collections`: publish a tag as a collection, or change it; problems go back on the library page. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { FormError } from '../../../services/accounts.ts';
import { readTag, setCollection } from '../../../services/library.ts';
import { wantsJson } from '../../request-context.ts';
import { memberOf } from '../guards.ts';
import { formDone, type PersonalForm } from '../personal-forms.ts';
import { HTML } from '../responses.ts';
import type { Site } from '../site.ts';
import { renderLibrary } from './show.ts';

export async function saveCollection(
  request: FastifyRequest<{ Body: PersonalForm }>,
  reply: FastifyReply,
  site: Site,
) {
  const member = memberOf(request);
  const form = request.body ?? {};
  const tag = readTag(form.tag);
  const visibility = form.visibility === 'private' ? 'private' : 'public';
  try {
    const collection = await setCollection(site.store, member, { ...form, tag, visibility });
    return formDone(request, reply, form, `/library?tag=${encodeURIComponent(tag)}`, collection);
  } catch (error) {
    if (!(error instanceof FormError) || wantsJson(request)) throw error;
    const page = await renderLibrary(request, site, member, tag, { values: form, errors: error.fields });
    return reply.code(400).type(HTML).send(page);
  }
}
