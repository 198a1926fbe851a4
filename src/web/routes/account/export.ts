/** `GET /account/export`: everything the site keeps about the member, as JSON. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { memberOf } from '../guards.ts';
import type { Site } from '../site.ts';

export async function exportAccount(request: FastifyRequest, reply: FastifyReply, site: Site) {
  const member = memberOf(request);
  const [data, apiTokens, authorClaims] = await Promise.all([
    site.store.members.exportMember(member.id),
    site.store.apiTokens.list(member.id),
    site.store.authorClaims.ofMember(member.id),
  ]);
  return reply
    .header('content-disposition', `attachment; filename="dailypapers-${member.username}.json"`)
    .header('cache-control', 'no-store')
    .type('application/json; charset=utf-8')
    .send(
      JSON.stringify(
        data && {
          ...data,
          apiTokens,
          authorClaims: authorClaims.map(({ authorName, status, createdAt, decidedAt }) => ({
            authorName,
            status,
            createdAt,
            decidedAt,
          })),
        },
        null,
        2,
      ),
    );
}
