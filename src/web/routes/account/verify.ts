/** `POST /account/verify/resend` and `GET /account/verify/:token`: confirming the member's email address. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  AccountLinkError,
  resendVerificationMail,
  verifyEmail,
} from '../../../services/account-lifecycle.ts';
import { redirectAfterPost } from '../../request-context.ts';
import { renderAccountPage } from '../../views/account-pages.ts';
import { clientOf, memberOf } from '../guards.ts';
import { HTML } from '../responses.ts';
import type { Site } from '../site.ts';
import { accountLinkFailure, message, TOKEN, type TokenRequest } from './forms.ts';

export async function resendVerification(request: FastifyRequest, reply: FastifyReply, site: Site) {
  const member = memberOf(request);
  const outcome = await resendVerificationMail(await site.accountDeps(), member, clientOf(request));
  if (outcome === 'alreadyVerified') return redirectAfterPost(reply, '/account');
  return reply.type(HTML).send(
    renderAccountPage(site.pageContext(request), {
      notice: `We sent a new confirmation link to ${member.email}.`,
    }),
  );
}

export async function verify(request: TokenRequest, reply: FastifyReply, site: Site) {
  try {
    if (!TOKEN.test(request.params.token)) throw new AccountLinkError('invalid');
    const member = await verifyEmail(await site.accountDeps(), request.params.token);
    return message(
      site,
      request,
      reply,
      'Email confirmed',
      `Thank you, ${member.username}: you can now upvote, comment and submit papers.`,
    );
  } catch (error) {
    return accountLinkFailure(site, request, reply, error);
  }
}
