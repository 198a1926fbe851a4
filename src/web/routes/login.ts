/** `/login` and `POST /logout`. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { endSession, logIn } from '../../services/accounts.ts';
import { redirectAfterPost, SESSION_COOKIE, safeNext } from '../request-context.ts';
import { renderLoginPage } from '../views/forms.ts';
import { formKeepingNext, handleForm, setSessionCookie } from './account/forms.ts';
import { type Form, text } from './form-fields.ts';
import { clientOf } from './guards.ts';
import type { Site } from './site.ts';

export const loginForm = formKeepingNext(renderLoginPage);

export async function login(request: FastifyRequest<{ Body: Form }>, reply: FastifyReply, site: Site) {
  return handleForm(request, reply, site, renderLoginPage, async (form) => {
    const { token } = await logIn(
      site.store,
      clientOf(request),
      text(form, 'username'),
      text(form, 'password'),
      request.cookies[SESSION_COOKIE],
    );
    setSessionCookie(request, reply, site, token);
    return redirectAfterPost(reply, safeNext(form?.next));
  });
}

export async function logout(request: FastifyRequest, reply: FastifyReply, site: Site) {
  await endSession(site.store, request.cookies[SESSION_COOKIE]);
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
  return redirectAfterPost(reply, '/');
}
