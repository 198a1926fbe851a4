/** What the account routes share: link tokens, message pages, forms shown again with their problems, sessions. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Member } from '../../../domain/member.ts';
import { AccountLinkError } from '../../../services/account-lifecycle.ts';
import { FormError, SESSION_DAYS, startSession } from '../../../services/accounts.ts';
import { cookieOptions, SESSION_COOKIE, safeNext } from '../../request-context.ts';
import { renderAccountPage } from '../../views/account-pages.ts';
import { type FormState, renderMessagePage } from '../../views/forms.ts';
import type { PageContext } from '../../views/layout.ts';
import { type Form, formValues } from '../form-fields.ts';
import { memberOf } from '../guards.ts';
import { HTML, sendPage } from '../responses.ts';
import type { Site } from '../site.ts';

export type TokenRequest = FastifyRequest<{ Params: { token: string }; Body: Form }>;

/** What a signed token from an account mail can look like. */
export const TOKEN = /^[A-Za-z0-9._-]{1,600}$/;

export async function beginSession(request: FastifyRequest, reply: FastifyReply, site: Site, member: Member) {
  setSessionCookie(
    request,
    reply,
    site,
    await startSession(site.store, member, request.cookies[SESSION_COOKIE]),
  );
}

/** The cookie of a session already started (a log-in starts its own: services/accounts.ts logIn). */
export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, site: Site, token: string) {
  reply.setCookie(SESSION_COOKIE, token, cookieOptions(request, site.config.baseUrl, SESSION_DAYS * 86_400));
}

export function message(
  site: Site,
  request: FastifyRequest,
  reply: FastifyReply,
  title: string,
  body: string,
  status = 200,
) {
  return sendPage(reply, status, renderMessagePage(site.pageContext(request), title, body));
}

export function accountLinkFailure(site: Site, request: FastifyRequest, reply: FastifyReply, error: unknown) {
  if (!(error instanceof AccountLinkError)) throw error;
  const status = error.reason === 'invalid' ? 404 : 410;
  return message(site, request, reply, 'Link not usable', error.message, status);
}

/** Renders the form again with its problems when `work` throws a FormError. */
export async function withForm(
  reply: FastifyReply,
  work: () => Promise<unknown>,
  page: (state: FormState) => string,
  form: Form | undefined,
) {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof FormError)) throw error;
    return sendPage(reply, 400, page({ values: formValues(form), errors: error.fields }));
  }
}

type FieldErrors = FormState['errors'];

/** Handles a posted form with `work`; its problems show the form page `render` draws again (400). */
export async function handleForm(
  request: FastifyRequest<{ Body: Form }>,
  reply: FastifyReply,
  site: Site,
  render: (context: PageContext, state: FormState) => string,
  work: (form: Form | undefined) => Promise<unknown>,
) {
  const form = request.body;
  return withForm(
    reply,
    () => work(form),
    (state) => render(site.pageContext(request), state),
    form,
  );
}

/**
 * A form of the member's own account page: `work` gets the member and the form; its problems show the account
 * page again (400), their fields renamed by `fieldsOf` where the page names them otherwise.
 */
export async function accountPageForm(
  request: FastifyRequest<{ Body: Form }>,
  reply: FastifyReply,
  site: Site,
  work: (member: Member, form: Form | undefined) => Promise<unknown>,
  fieldsOf: (errors: FieldErrors) => FieldErrors = (errors) => errors,
) {
  const form = request.body;
  return withForm(
    reply,
    () => work(memberOf(request), form),
    (state) => renderAccountPage(site.pageContext(request), { errors: fieldsOf(state.errors) }),
    form,
  );
}

/** The handler of an empty form page that carries `?next=` (where to go once done) into its form. */
export function formKeepingNext(render: (context: PageContext, state: FormState) => string) {
  return async (
    request: FastifyRequest<{ Querystring: { next?: string } }>,
    reply: FastifyReply,
    site: Site,
  ) =>
    reply
      .type(HTML)
      .send(render(site.pageContext(request), { values: { next: safeNext(request.query.next, '') } }));
}
