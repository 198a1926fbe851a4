/** `/setup/:token`: the first admin's account, from the one-time setup link. */
import type { FastifyReply } from 'fastify';
import { claimAdminSetup } from '../../services/account-lifecycle.ts';
import { redirectAfterPost } from '../request-context.ts';
import { renderAdminSetupPage } from '../views/account-pages.ts';
import { beginSession, message, TOKEN, type TokenRequest, withForm } from './account/forms.ts';
import { text } from './form-fields.ts';
import { HTML } from './responses.ts';
import type { Site } from './site.ts';

const UNUSABLE = 'This setup link is not valid or was used.';

export async function setupForm(request: TokenRequest, reply: FastifyReply, site: Site) {
  if (!TOKEN.test(request.params.token) || (await site.store.members.hasAdmin()))
    return message(site, request, reply, 'Link not usable', UNUSABLE, 404);
  return reply.type(HTML).send(renderAdminSetupPage(site.pageContext(request), request.params.token));
}

export async function setup(request: TokenRequest, reply: FastifyReply, site: Site) {
  const { token } = request.params;
  if (!TOKEN.test(token)) return message(site, request, reply, 'Link not usable', UNUSABLE, 404);
  const form = request.body;
  return withForm(
    reply,
    async () => {
      const admin = await claimAdminSetup(site.store, token, {
        username: text(form, 'username'),
        email: text(form, 'email'),
        password: text(form, 'password'),
      });
      if (!admin) return message(site, request, reply, 'Link not usable', UNUSABLE, 404);
      await beginSession(request, reply, site, admin);
      return redirectAfterPost(reply, '/admin');
    },
    (state) => renderAdminSetupPage(site.pageContext(request), token, state),
    form,
  );
}
