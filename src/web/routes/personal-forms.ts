/** What the personal forms share: a paper id field, and the answer to a form (JSON, or back where it came from). */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError } from '../../store/store.ts';
import { redirectAfterPost, safeNext, wantsJson } from '../request-context.ts';

export type PersonalForm = Record<string, string | undefined>;

/** A paper id from a form: anything else is a 404, like an unknown paper. */
export function paperIdField(form: PersonalForm): string {
  const id = form.paperId;
  if (typeof id !== 'string' || !/^[A-Za-z0-9./-]{1,64}$/.test(id)) throw new NotFoundError('paper');
  return id;
}

/** `json` for a script that asked for it, else a redirect to the form's `next` (or `fallback`). */
export function formDone(
  request: FastifyRequest,
  reply: FastifyReply,
  form: PersonalForm,
  fallback: string,
  json: unknown,
) {
  if (wantsJson(request)) return reply.send(json);
  return redirectAfterPost(reply, safeNext(form.next, fallback));
}
