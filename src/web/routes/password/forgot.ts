/** `/password/forgot`: mail a link to choose a new password. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { requestPasswordReset } from '../../../services/account-lifecycle.ts';
import { renderForgotPasswordPage } from '../../views/account-pages.ts';
import { message, withForm } from '../account/forms.ts';
import { type Form, text } from '../form-fields.ts';
import { HTML } from '../responses.ts';
import type { Site } from '../site.ts';

export async function forgotPasswordForm(request: FastifyRequest, reply: FastifyReply, site: Site) {
  return reply.type(HTML).send(renderForgotPasswordPage(site.pageContext(request)));
}

export async function forgotPassword(
  request: FastifyRequest<{ Body: Form }>,
  reply: FastifyReply,
  site: Site,
) {
  const form = request.body;
  return withForm(
    reply,
    async () => {
      await requestPasswordReset(await site.accountDeps(), text(form, 'email'));
      return message(
        site,
        request,
        reply,
        'Check your inbox',
        'If this address belongs to an account, a link to choose a new password is on its way. It works for an hour, once.',
      );
    },
    (state) => renderForgotPasswordPage(site.pageContext(request), state),
    form,
  );
}
