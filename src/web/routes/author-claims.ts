/** `POST /admin/author-claims/:id`: an admin approves or rejects an author claim. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { decideAuthorClaim } from '../../services/author-claims.ts';
import { redirectAfterPost } from '../request-context.ts';
import { renderMessagePage } from '../views/forms.ts';
import { positiveId } from './account/tokens.ts';
import { HTML } from './responses.ts';
import type { Site } from './site.ts';

export async function decideClaim(
  request: FastifyRequest<{ Params: { id: string }; Body: Record<string, string | undefined> }>,
  reply: FastifyReply,
  site: Site,
) {
  const message = (status: number, title: string, body: string) =>
    reply
      .code(status)
      .type(HTML)
      .send(renderMessagePage(site.pageContext(request), title, body));
  const id = positiveId(request.params.id);
  const decision = request.body?.decision;
  if (id === null) return message(404, 'Not found', 'There is no such claim.');
  if (decision !== 'approve' && decision !== 'reject')
    return message(400, 'Bad request', 'decision: approve or reject');
  const outcome = await decideAuthorClaim(site.store, id, decision === 'approve');
  if (outcome === 'taken')
    return message(
      409,
      'Not approved',
      'Another member was approved for this author name already. Reject this claim, or ask the approved member first.',
    );
  return redirectAfterPost(reply, '/admin#author-claims-title');
}
