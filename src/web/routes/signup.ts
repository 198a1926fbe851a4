/** `/signup`: a new account, confirmed by mail. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { requestSignup } from '../../services/account-lifecycle.ts';
import { renderSignupPage } from '../views/forms.ts';
import { formKeepingNext, handleForm, message } from './account/forms.ts';
import { type Form, text } from './form-fields.ts';
import type { Site } from './site.ts';

export const signupForm = formKeepingNext(renderSignupPage);

export async function signup(request: FastifyRequest<{ Body: Form }>, reply: FastifyReply, site: Site) {
  return handleForm(request, reply, site, renderSignupPage, async (form) => {
    const input = {
      username: text(form, 'username'),
      email: text(form, 'email'),
      password: text(form, 'password'),
    };
    await requestSignup(await site.accountDeps(), input);
    return message(
      site,
      request,
      reply,
      'Check your inbox',
      'We sent a mail to the address you gave: open its link to confirm your account, then log in. ' +
        'If it does not arrive within a few minutes, look in your spam folder.',
    );
  });
}
