import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { FormError } from '../../services/accounts.ts';
import { createApiToken } from '../../services/api-tokens.ts';
import { claimAuthorPage, decideAuthorClaim } from '../../services/author-claims.ts';
import { loadMemberPage } from '../../services/member-page.ts';
import { listNotifications, markNotificationsRead } from '../../services/notifications.ts';
import { pageContext, redirectAfterPost } from '../request-context.ts';
import { renderAccountPage } from '../views/account-pages.ts';
import { renderMessagePage } from '../views/forms.ts';
import { renderMemberPage } from '../views/member-page.ts';
import { renderNotificationsPage } from '../views/notifications-page.ts';
import { LoginRequiredError, requireVerifiedMember } from './actions.ts';
import type { WebDeps } from './deps.ts';
import { enforceRateLimit } from './rate-limit.ts';
import { HTML, notFound } from './responses.ts';

type Form = Record<string, string | undefined>;

const positiveId = (raw: string): number | null => {
  const id = Number(raw);
  return /^[0-9]{1,15}$/.test(raw) && Number.isSafeInteger(id) && id > 0 ? id : null;
};

/** Member pages, personal API tokens, author claims and notifications. */
export function registerPeopleRoutes(app: FastifyInstance, { store, config }: WebDeps): void {
  const context = (request: FastifyRequest) => pageContext(request, config.baseUrl);
  const message = (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    title: string,
    body: string,
  ) =>
    reply
      .code(status)
      .type(HTML)
      .send(renderMessagePage(context(request), title, body));
  /** Tokens are managed from a browser session only: a token cannot make or revoke tokens. */
  const sessionMember = (request: FastifyRequest) => {
    if (!request.member || request.authenticatedBy !== 'session') throw new LoginRequiredError();
    return request.member;
  };

  app.get<{ Params: { name: string } }>('/users/:name', async (request, reply) => {
    const page = await loadMemberPage(store, request.params.name);
    if (!page) return notFound(reply, request, config, `There is no member “${request.params.name}”.`);
    return reply.type(HTML).send(renderMemberPage(context(request), page));
  });

  app.post<{ Body: Form }>('/account/tokens', async (request, reply) => {
    const member = sessionMember(request);
    await enforceRateLimit(store, request, 'apiToken');
    const name = request.body?.name ?? '';
    try {
      const { token, apiToken } = await createApiToken(store, member, name);
      const tokens = await store.apiTokens.list(member.id);
      // The secret is in this one response: nobody may keep a copy of it.
      reply.header('cache-control', 'no-store');
      return reply
        .code(201)
        .type(HTML)
        .send(renderAccountPage(context(request), {}, { tokens, created: { name: apiToken.name, token } }));
    } catch (error) {
      if (!(error instanceof FormError)) throw error;
      const tokens = await store.apiTokens.list(member.id);
      return reply
        .code(400)
        .type(HTML)
        .send(renderAccountPage(context(request), {}, { tokens, error: error.fields.name ?? error.message }));
    }
  });

  app.post<{ Params: { id: string } }>('/account/tokens/:id/revoke', async (request, reply) => {
    const member = sessionMember(request);
    const id = positiveId(request.params.id);
    if (id === null || !(await store.apiTokens.revoke(member.id, id)))
      return message(request, reply, 404, 'Not found', 'You have no such token; it may be revoked already.');
    return redirectAfterPost(reply, '/account#tokens-heading');
  });

  app.post<{ Params: { name: string } }>('/authors/:name/claim', async (request, reply) => {
    const member = requireVerifiedMember(request);
    await enforceRateLimit(store, request, 'authorClaim');
    const { name } = request.params;
    try {
      await claimAuthorPage(store, member, name);
      return redirectAfterPost(reply, `/authors/${encodeURIComponent(name)}`);
    } catch (error) {
      if (!(error instanceof FormError)) throw error;
      return message(request, reply, 409, 'Claim not sent', error.fields.claim ?? error.message);
    }
  });

  app.post<{ Params: { id: string }; Body: Form }>('/admin/author-claims/:id', async (request, reply) => {
    const member = request.member;
    if (!member) throw new LoginRequiredError();
    if (member.role !== 'admin')
      return message(request, reply, 403, 'Not allowed', 'Only admins can do that.');
    const id = positiveId(request.params.id);
    const decision = request.body?.decision;
    if (id === null) return message(request, reply, 404, 'Not found', 'There is no such claim.');
    if (decision !== 'approve' && decision !== 'reject')
      return message(request, reply, 400, 'Bad request', 'decision: approve or reject');
    const outcome = await decideAuthorClaim(store, id, decision === 'approve');
    if (outcome === 'taken')
      return message(
        request,
        reply,
        409,
        'Not approved',
        'Another member was approved for this author name already. Reject this claim, or ask the approved member first.',
      );
    return redirectAfterPost(reply, '/admin#author-claims-title');
  });

  app.get('/notifications', async (request, reply) => {
    if (!request.member) return reply.redirect('/login?next=/notifications');
    const list = await listNotifications(store, request.member);
    return reply.type(HTML).send(renderNotificationsPage(context(request), list));
  });

  app.post('/notifications/read', async (request, reply) => {
    if (!request.member) throw new LoginRequiredError();
    await markNotificationsRead(store, request.member);
    return redirectAfterPost(reply, '/notifications');
  });
}
