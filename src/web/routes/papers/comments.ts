/** `POST /papers/:paper/comments`: a comment or a reply; the paper page again with the problem otherwise. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { FormError } from '../../../services/accounts.ts';
import { commentOnPaper } from '../../../services/engagement.ts';
import { redirectAfterPost } from '../../request-context.ts';
import { renderPaperPage } from '../../views/paper-page.ts';
import { memberOf } from '../guards.ts';
import { actionPaperId } from '../register-routes.ts';
import { notFound, sendPage } from '../responses.ts';
import type { Site } from '../site.ts';
import { upvotedSet } from './list-page.ts';

type CommentRequest = FastifyRequest<{ Body: Record<string, string | undefined> }>;

async function renderWithProblem(
  request: CommentRequest,
  reply: FastifyReply,
  site: Site,
  paperId: string,
  error: FormError,
) {
  const paper = await site.store.papers.getPaper(paperId);
  if (!paper) return notFound(reply, request, site.config, 'There is no such paper.');
  const [comments, upvoted] = await Promise.all([
    site.store.engagement.listComments(paperId),
    upvotedSet(site.store, request, [paper]),
  ]);
  return sendPage(
    reply,
    400,
    renderPaperPage(site.pageContext(request), {
      paper,
      comments,
      upvoted: upvoted.has(paperId),
      commentError: error.fields.body ?? error.message,
    }),
  );
}

export async function comment(request: CommentRequest, reply: FastifyReply, site: Site) {
  const paperId = actionPaperId(request);
  const form = request.body ?? {};
  const parentId = form.parentId ? Number(form.parentId) : null;
  try {
    if (parentId !== null && !Number.isSafeInteger(parentId)) {
      throw new FormError({ body: 'that reply has nothing to attach to' });
    }
    const added = await commentOnPaper(site.store, memberOf(request), {
      paperId,
      parentId,
      body: form.body ?? '',
    });
    return redirectAfterPost(reply, `/papers/${paperId}#comment-${added.id}`);
  } catch (error) {
    if (!(error instanceof FormError)) throw error;
    return renderWithProblem(request, reply, site, paperId, error);
  }
}
