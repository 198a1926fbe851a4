/** `POST /authors/:name/claim`: "This is me" on an author page. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { FormError } from '../../../services/accounts.ts';
import { claimAuthorPage } from '../../../services/author-claims.ts';
import { redirectAfterPost } from '../../request-context.ts';
import { renderMessagePage } from '../../views/forms.ts';
import { memberOf } from '../guards.ts';
import { HTML } from '../responses.ts';
import type { Site } from '../site.ts';

export async function claimAuthor(
  request: FastifyRequest<{ Params: { name: string } }>,
  reply: FastifyReply,
  site: Site,
) {
  const { name } = request.params;
  try {
    await claimAuthorPage(site.store, memberOf(request), name);
    return redirectAfterPost(reply, `/authors/${encodeURIComponent(name)}`);
  } catch (error) {
    if (!(error instanceof FormError)) throw error;
    return reply
      .code(409)
      .type(HTML)
      .send(
        renderMessagePage(site.pageContext(request), 'Claim not sent', error.fields.claim ?? error.message),
      );
  }
}
