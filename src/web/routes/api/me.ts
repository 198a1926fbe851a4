/** `GET /api/me`: the member of the bearer token or session. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { memberOf } from '../guards.ts';
import type { Site } from '../site.ts';

export async function meApi(request: FastifyRequest, reply: FastifyReply, site: Site) {
  const member = memberOf(request);
  const claims = await site.store.authorClaims.ofMember(member.id);
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
}
