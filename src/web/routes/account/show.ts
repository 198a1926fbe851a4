/** `GET /account`: the member's account page. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { personalFeedToken } from '../../../services/personal-feed-token.ts';
import { renderAccountPage } from '../../views/account-pages.ts';
import { privateFeedSection } from '../../views/personal-controls.ts';
import { memberOf } from '../guards.ts';
import { HTML } from '../responses.ts';
import type { Site } from '../site.ts';

/** The account page's private-feed section, for every response that renders the account page. */
export async function privateFeedOf(request: FastifyRequest, site: Site) {
  const feed = await personalFeedToken(site.store, site.config, memberOf(request));
  return privateFeedSection(site.pageContext(request), feed);
}

export async function accountPage(request: FastifyRequest, reply: FastifyReply, site: Site) {
  const [tokens, feed] = await Promise.all([
    site.store.apiTokens.list(memberOf(request).id),
    privateFeedOf(request, site),
  ]);
  return reply.type(HTML).send(renderAccountPage(site.pageContext(request), {}, { tokens }, feed));
}
