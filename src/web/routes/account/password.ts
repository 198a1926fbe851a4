/** `POST /account/password`: change the password; other sessions end. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { changePassword } from '../../../services/accounts.ts';
import { SESSION_COOKIE } from '../../request-context.ts';
import { renderAccountPage } from '../../views/account-pages.ts';
import { type Form, text } from '../form-fields.ts';
import { HTML } from '../responses.ts';
import type { Site } from '../site.ts';
import { accountPageForm } from './forms.ts';

export async function changeAccountPassword(
  request: FastifyRequest<{ Body: Form }>,
  reply: FastifyReply,
  site: Site,
) {
  return accountPageForm(request, reply, site, async (member, form) => {
    const current = text(form, 'current');
    await changePassword(
      site.store,
      member,
      current,
      text(form, 'password'),
      request.cookies[SESSION_COOKIE] ?? '',
    );
    return reply.type(HTML).send(
      renderAccountPage(site.pageContext(request), {
        notice: 'Your password was changed. Other sessions were logged out.',
      }),
    );
  });
}
