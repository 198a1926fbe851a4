/** `/password/reset/:token`: choose a new password from a mailed link; every other session ends. */
import type { FastifyReply } from 'fastify';
import { AccountLinkError, checkResetLink, resetPassword } from '../../../services/account-lifecycle.ts';
import { renderResetPasswordPage } from '../../views/account-pages.ts';
import {
  accountLinkFailure,
  beginSession,
  message,
  TOKEN,
  type TokenRequest,
  withForm,
} from '../account/forms.ts';
import { text } from '../form-fields.ts';
import { HTML } from '../responses.ts';
import type { Site } from '../site.ts';

export async function resetPasswordForm(request: TokenRequest, reply: FastifyReply, site: Site) {
  const { token } = request.params;
  try {
    if (!TOKEN.test(token)) throw new AccountLinkError('invalid');
    await checkResetLink(await site.accountDeps(), token);
    return reply.type(HTML).send(renderResetPasswordPage(site.pageContext(request), token));
  } catch (error) {
    return accountLinkFailure(site, request, reply, error);
  }
}

export async function resetPasswordWithLink(request: TokenRequest, reply: FastifyReply, site: Site) {
  const { token } = request.params;
  try {
    if (!TOKEN.test(token)) throw new AccountLinkError('invalid');
    const form = request.body;
    return await withForm(
      reply,
      async () => {
        const member = await resetPassword(await site.accountDeps(), token, text(form, 'password'));
        await beginSession(request, reply, site, member);
        return message(
          site,
          request,
          reply,
          'Password changed',
          'Your new password is set and every other session was logged out.',
        );
      },
      (state) => renderResetPasswordPage(site.pageContext(request), token, state),
      form,
    );
  } catch (error) {
    return accountLinkFailure(site, request, reply, error);
  }
}
