/** `/signup`: a new account, confirmed by mail. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { requestSignup } from '../../services/account-lifecycle.ts';
import { safeNext } from '../request-context.ts';
import { renderSignupPage } from '../views/forms.ts';
import { message, withForm } from './account/forms.ts';
import { type Form, text } from './form-fields.ts';
import { HTML } from './responses.ts';
import type { Site } from './site.ts';

export async function signupForm(
  request: FastifyRequest<{ Querystring: { next?: string } }>,
  reply: FastifyReply,
  site: Site,
) {
  return reply
    .type(HTML)
    .send(
      renderSignupPage(site.pageContext(request), { values: { next: safeNext(request.query.next, '') } }),
    );
}

export async function signup(request: FastifyRequest<{ Body: Form }>, reply: FastifyReply, site: Site) {
  const form = request.body;
  return withForm(
    reply,
    async () => {
      await requestSignup(await site.accountDeps(), {
        username: text(form, 'username'),
        email: text(form, 'email'),
        password: text(form, 'password'),
      });
      return message(
        site,
        request,
        reply,
        'Check your inbox',
        'We sent a mail to the address you gave: open its link to confirm your account, then log in. ' +
          'If it does not arrive within a few minutes, look in your spam folder.',
      );
    },
    (state) => renderSignupPage(site.pageContext(request), state),
    form,
  );
}
