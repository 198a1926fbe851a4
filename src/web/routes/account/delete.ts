/** `POST /account/delete`: the account, its sessions and subscriptions go; comments stay without a name. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { deleteAccount } from '../../../services/account-lifecycle.ts';
import { SESSION_COOKIE } from '../../request-context.ts';
import { type Form, text } from '../form-fields.ts';
import type { Site } from '../site.ts';
import { accountPageForm, message } from './forms.ts';

export async function deleteOwnAccount(
  request: FastifyRequest<{ Body: Form }>,
  reply: FastifyReply,
  site: Site,
) {
  return accountPageForm(
    request,
    reply,
    site,
    async (member, form) => {
      await deleteAccount(site.store, member, text(form, 'confirm'));
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      request.member = null;
      return message(
        site,
        request,
        reply,
        'Account deleted',
        'Your account, sessions and subscriptions are gone; your comments and submissions stay without your name.',
      );
    },
    (errors) => ({ confirm: errors?.password ?? '' }),
  );
}
