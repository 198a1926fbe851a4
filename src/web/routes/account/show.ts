/** `GET /account`: the member's account page. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { personalFeedToken } from '../../../services/personal-feed-token.ts';
import { renderAccountPage } from '../../views/account-pages.ts';
import { privateFeedSection } from '../../views/personal-controls.ts';
import { memberOf } from '../guards.ts';
import { HTML } from '../responses.ts';
import type { Site } from '../site.ts';

export async function accountPage(request: FastifyRequest, reply: FastifyReply, site: Site) {
  const context = site.pageContext(request);
  const member = memberOf(request);
  const [tokens, feed] = await Promise.all([
    site.store.apiTokens.list(member.id),
    personalFeedToken(site.store, site.config, member),
  ]);
  return reply.type(HTML).send(renderAccountPage(context, {}, { tokens }, privateFeedSection(context, feed)));
}
