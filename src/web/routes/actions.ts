import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isArxivId, normalizeArxivId } from '../../domain/arxiv-id.ts';
import { FormError } from '../../services/accounts.ts';
import { commentOnPaper, upvotePaper } from '../../services/engagement.ts';
import { submitPaper } from '../../services/submit-paper.ts';
import { pageContext, redirectAfterPost, refererPath, safeNext, wantsJson } from '../request-context.ts';
import { renderMessagePage, renderSubmitPage } from '../views/forms.ts';
import { renderPaperPage } from '../views/paper-page.ts';
import type { WebDeps } from './deps.ts';
import { upvotedSet } from './pages.ts';
import { enforceRateLimit } from './rate-limit.ts';
import { HTML, notFound } from './responses.ts';

type Form = Record<string, string | undefined>;

export class LoginRequiredError extends Error {
  constructor() {
    super('log in first');
    this.name = 'LoginRequiredError';
  }
}

/** Voting, commenting and submitting need a confirmed email address. */
export class EmailNotVerifiedError extends Error {
  constructor() {
    super(
      'confirm your email address first: open the link in the mail we sent when you signed up, or have it sent again',
    );
    this.name = 'EmailNotVerifiedError';
  }
}

/** The logged-in member, when their email is confirmed. */
export function requireVerifiedMember(request: FastifyRequest) {
  if (!request.member) throw new LoginRequiredError();
  if (!request.member.emailVerified) throw new EmailNotVerifiedError();
  return request.member;
}

function paperIdParam(raw: string): string | null {
  return isArxivId(raw) ? normalizeArxivId(raw) : null;
}

export function registerActionRoutes(app: FastifyInstance, deps: WebDeps): void {
  const { store, config } = deps;
  const requireMember = (request: FastifyRequest) => {
    if (!request.member) throw new LoginRequiredError();
    return request.member;
  };
  const requireAdmin = (request: FastifyRequest, reply: FastifyReply) => {
    const member = requireMember(request);
    if (member.role !== 'admin') {
      reply
        .code(403)
        .type(HTML)
        .send(
          renderMessagePage(pageContext(request, config.baseUrl), 'Not allowed', 'Only admins can do that.'),
        );
      return false;
    }
    return true;
  };

  app.post<{ Params: { '*': string }; Body: Form }>('/papers/*', async (request, reply) => {
    const path = request.params['*'];
    const match = /^(.+)\/(upvote|comments|hide)$/.exec(path);
    const paperId = match?.[1] ? paperIdParam(match[1]) : null;
    if (!match || !paperId) return notFound(reply, request, config, 'There is no such paper.');
    const form = request.body ?? {};
    const member = match[2] === 'hide' ? requireMember(request) : requireVerifiedMember(request);

    if (match[2] === 'upvote') {
      await enforceRateLimit(store, request, 'vote');
      const result = await upvotePaper(store, member, paperId, form.upvoted !== 'false');
      if (wantsJson(request)) return result;
      return redirectAfterPost(reply, safeNext(form.next, `/papers/${paperId}`));
    }

    if (match[2] === 'hide') {
      if (!requireAdmin(request, reply)) return reply;
      await store.papers.setPaperHidden(paperId, form.hidden !== 'false');
      return redirectAfterPost(reply, `/papers/${paperId}`);
    }

    await enforceRateLimit(store, request, 'comment');
    const parentId = form.parentId ? Number(form.parentId) : null;
    try {
      if (parentId !== null && !Number.isSafeInteger(parentId)) {
        throw new FormError({ body: 'that reply has nothing to attach to' });
      }
      const comment = await commentOnPaper(store, member, { paperId, parentId, body: form.body ?? '' });
      return redirectAfterPost(reply, `/papers/${paperId}#comment-${comment.id}`);
    } catch (error) {
      if (!(error instanceof FormError)) throw error;
      const paper = await store.papers.getPaper(paperId);
      if (!paper) return notFound(reply, request, config, 'There is no such paper.');
      const [comments, upvoted] = await Promise.all([
        store.engagement.listComments(paperId),
        upvotedSet(store, request, [paper]),
      ]);
      return reply
        .code(400)
        .type(HTML)
        .send(
          renderPaperPage(pageContext(request, config.baseUrl), {
            paper,
            comments,
            upvoted: upvoted.has(paperId),
            commentError: error.fields.body ?? error.message,
          }),
        );
    }
  });

  app.post<{ Params: { id: string }; Body: Form }>('/comments/:id/hide', async (request, reply) => {
    if (!requireAdmin(request, reply)) return reply;
    const id = Number(request.params.id);
    if (!Number.isInteger(id)) return notFound(reply, request, config, 'There is no such comment.');
    await store.engagement.setCommentHidden(id, (request.body ?? {}).hidden !== 'false');
    return redirectAfterPost(reply, refererPath(request));
  });

  const rules = { perDay: config.submissions.perMemberPerDay, maxAgeDays: config.submissions.maxAgeDays };
  app.get('/submit', async (request, reply) => {
    if (!request.member) return reply.redirect('/login?next=/submit');
    return reply.type(HTML).send(renderSubmitPage(pageContext(request, config.baseUrl), { rules }));
  });

  app.post<{ Body: Form }>('/submit', async (request, reply) => {
    const member = requireVerifiedMember(request);
    await enforceRateLimit(store, request, 'submit');
    const input = request.body?.paper ?? '';
    try {
      const { paperId } = await submitPaper(store, deps.fetchPaper, member, input, config.submissions);
      return redirectAfterPost(reply, `/papers/${paperId}`);
    } catch (error) {
      if (!(error instanceof FormError)) throw error;
      return reply
        .code(400)
        .type(HTML)
        .send(
          renderSubmitPage(pageContext(request, config.baseUrl), {
            rules,
            values: { paper: input },
            errors: error.fields,
          }),
        );
    }
  });
}
