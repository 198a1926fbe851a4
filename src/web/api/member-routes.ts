import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isArxivId, normalizeArxivId } from '../../domain/arxiv-id.ts';
import { upvotePaper } from '../../services/engagement.ts';
import { LoginRequiredError, requireVerifiedMember } from '../routes/actions.ts';
import type { WebDeps } from '../routes/deps.ts';
import { enforceRateLimit } from '../routes/rate-limit.ts';

/**
 * The API of the member making the request (a personal API token, `Authorization: Bearer`, or a session with its
 * CSRF token): who they are, and their upvotes.
 */
export function registerMemberApiRoutes(app: FastifyInstance, { store }: WebDeps): void {
  app.get('/api/me', async (request, reply) => {
    const member = request.member;
    if (!member) throw new LoginRequiredError();
    const claims = await store.authorClaims.ofMember(member.id);
    reply.header('cache-control', 'private, no-store');
    return {
      type: 'user',
      name: member.username,
      email: member.email,
      emailVerified: member.emailVerified,
      role: member.role,
      createdAt: member.createdAt,
      authorOf: claims.filter((claim) => claim.status === 'approved').map((claim) => claim.authorName),
    };
  });

  const upvote =
    (upvoted: boolean) =>
    async (request: FastifyRequest<{ Params: { '*': string } }>, reply: FastifyReply) => {
      const match = /^(.+)\/upvote$/.exec(request.params['*']);
      const raw = match?.[1];
      if (!raw || !isArxivId(raw)) return reply.code(404).send({ error: 'no such endpoint' });
      const member = requireVerifiedMember(request);
      await enforceRateLimit(store, request, 'vote');
      return upvotePaper(store, member, normalizeArxivId(raw), upvoted);
    };
  app.post('/api/papers/*', upvote(true));
  app.delete('/api/papers/*', upvote(false));
}
