/** `POST /account/tokens` and `POST /account/tokens/:id/revoke`: personal API tokens, from a browser session only. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { FormError } from '../../../services/accounts.ts';
import { createApiToken } from '../../../services/api-tokens.ts';
import { redirectAfterPost } from '../../request-context.ts';
import { renderAccountPage } from '../../views/account-pages.ts';
import { renderMessagePage } from '../../views/forms.ts';
import { LoginRequiredError, memberOf } from '../guards.ts';
import { HTML } from '../responses.ts';
import type { Site } from '../site.ts';
import { privateFeedOf } from './show.ts';

/** A token cannot make or revoke tokens. */
function sessionMember(request: FastifyRequest) {
  if (request.authenticatedBy !== 'session') throw new LoginRequiredError();
  return memberOf(request);
}

const positiveId = (raw: string): number | null => {
  const id = Number(raw);
  return /^[0-9]{1,15}$/.test(raw) && Number.isSafeInteger(id) && id > 0 ? id : null;
};

export async function createToken(
  request: FastifyRequest<{ Body: Record<string, string | undefined> }>,
  reply: FastifyReply,
  site: Site,
) {
  const member = sessionMember(request);
  const { store } = site;
  try {
    const { token, apiToken } = await createApiToken(store, member, request.body?.name ?? '');
    const [tokens, feed] = await Promise.all([store.apiTokens.list(member.id), privateFeedOf(request, site)]);
    // The secret is in this one response: nobody may keep a copy of it.
    reply.header('cache-control', 'no-store');
    return reply
      .code(201)
      .type(HTML)
      .send(
        renderAccountPage(
          site.pageContext(request),
          {},
          { tokens, created: { name: apiToken.name, token } },
          feed,
        ),
      );
  } catch (error) {
    if (!(error instanceof FormError)) throw error;
    const [tokens, feed] = await Promise.all([store.apiTokens.list(member.id), privateFeedOf(request, site)]);
    return reply
      .code(400)
      .type(HTML)
      .send(
        renderAccountPage(
          site.pageContext(request),
          {},
          { tokens, error: error.fields.name ?? error.message },
          feed,
        ),
      );
  }
}

export async function revokeToken(
  request: FastifyRequest<{ Params: { id: string } }>,
  reply: FastifyReply,
  site: Site,
) {
  const member = sessionMember(request);
  const id = positiveId(request.params.id);
  if (id === null || !(await site.store.apiTokens.revoke(member.id, id)))
    return reply
      .code(404)
      .type(HTML)
      .send(
        renderMessagePage(
          site.pageContext(request),
          'Not found',
          'You have no such token; it may be revoked already.',
        ),
      );
  return redirectAfterPost(reply, '/account#tokens-heading');
}

export { positiveId };
