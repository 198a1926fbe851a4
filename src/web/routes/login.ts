/** `/login` and `POST /logout`. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { endSession, logIn } from '../../services/accounts.ts';
import { redirectAfterPost, SESSION_COOKIE, safeNext } from '../request-context.ts';
import { renderLoginPage } from '../views/forms.ts';
import { setSessionCookie, withForm } from './account/forms.ts';
import { type Form, text } from './form-fields.ts';
import { clientOf } from './guards.ts';
import { HTML } from './responses.ts';
import type { Site } from './site.ts';

export async function loginForm(
  request: FastifyRequest<{ Querystring: { next?: string } }>,
  reply: FastifyReply,
  site: Site,
) {
  return reply
    .type(HTML)
    .send(renderLoginPage(site.pageContext(request), { values: { next: safeNext(request.query.next, '') } }));
}

export async function login(request: FastifyRequest<{ Body: Form }>, reply: FastifyReply, site: Site) {
  const form = request.body;
  return withForm(
    reply,
    async () => {
      const { token } = await logIn(
        site.store,
        clientOf(request),
        text(form, 'username'),
        text(form, 'password'),
        request.cookies[SESSION_COOKIE],
      );
      setSessionCookie(request, reply, site, token);
      return redirectAfterPost(reply, safeNext(form?.next));
    },
    (state) => renderLoginPage(site.pageContext(request), state),
    form,
  );
}

export async function logout(request: FastifyRequest, reply: FastifyReply, site: Site) {
  await endSession(site.store, request.cookies[SESSION_COOKIE]);
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
  return redirectAfterPost(reply, '/');
}
