import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { FormError } from '../services/accounts.ts';
import { ApiTokenError } from '../services/api-tokens.ts';
import { RateLimitedError } from '../services/rate-limit.ts';
import { NotFoundError, StoreUnavailableError } from '../store/store.ts';
import { ApiParameterError } from './api/params.ts';
import { CrossSiteFormError } from './own-site.ts';
import { CsrfError, pageContext, refererPath, wantsJson } from './request-context.ts';
import { EmailNotVerifiedError, LoginRequiredError } from './routes/guards.ts';
import { HTML } from './routes/responses.ts';
import { renderConfirmEmailFirstPage } from './views/account-pages.ts';
import { renderMessagePage } from './views/forms.ts';

/** What an address under /feeds/ that is no feed answers: the feeds there are. */
const NO_SUCH_FEED =
  'There is no such feed. Feeds: /feeds/daily, /feeds/week, /feeds/month, /feeds/trending (.xml or .atom).';

interface Failure {
  status: number;
  title: string;
  message: string;
}

function describeFailure(error: FastifyError | Error): Failure {
  if (error instanceof CsrfError) return { status: 403, title: 'Form expired', message: error.message };
  if (error instanceof CrossSiteFormError)
    return { status: 403, title: 'Sent from another site', message: error.message };
  if (error instanceof ApiTokenError) return { status: 401, title: 'Not authorized', message: error.message };
  if (error instanceof RateLimitedError) return { status: 429, title: 'Slow down', message: error.message };
  if (error instanceof LoginRequiredError)
    return { status: 401, title: 'Log in first', message: error.message };
  if (error instanceof EmailNotVerifiedError)
    return { status: 403, title: 'Confirm your email first', message: error.message };
  if (error instanceof NotFoundError) return { status: 404, title: 'Not found', message: error.message };
  if (error instanceof StoreUnavailableError) return { status: 503, title: 'Busy', message: error.message };
  if (error instanceof FormError || error instanceof ApiParameterError) {
    return { status: 400, title: 'Bad request', message: error.message };
  }
  const status = 'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : 500;
  if (status >= 400 && status < 500) return { status, title: 'Bad request', message: error.message };
  return {
    status: 500,
    title: 'Something went wrong',
    message: 'The server failed to answer; the error was logged.',
  };
}

function isApiRequest(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/') || wantsJson(request);
}

/** How a failed request is answered: JSON for the API, a page (or a login redirect) for a browser. */
export function failureReply(baseUrl: string) {
  return (error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) => {
    const failure = describeFailure(error);
    if (failure.status === 500) console.error(error);
    if (error instanceof RateLimitedError || error instanceof StoreUnavailableError)
      reply.header('retry-after', String(error.retryAfterSeconds));
    reply.code(failure.status);
    // RFC 6750: a refused bearer token says so; an API request without one learns which scheme to use.
    if (error instanceof ApiTokenError)
      return reply
        .header('www-authenticate', `Bearer realm="Dailypapers", error="invalid_token"`)
        .send({ error: failure.message });
    if (isApiRequest(request)) {
      if (error instanceof LoginRequiredError) reply.header('www-authenticate', 'Bearer realm="Dailypapers"');
      return reply.send({ error: failure.message });
    }
    const context = pageContext(request, baseUrl);
    if (error instanceof LoginRequiredError) {
      const next = request.method === 'GET' ? request.url : refererPath(request);
      return reply.redirect(`/login?next=${encodeURIComponent(next)}`, 303);
    }
    if (error instanceof EmailNotVerifiedError)
      return reply.type(HTML).send(renderConfirmEmailFirstPage(context, failure.message));
    return reply.type(HTML).send(renderMessagePage(context, failure.title, failure.message));
  };
}

/**
 * The routes' failures and unknown addresses answered by `failureReply`. Fastify's own refusals before routing
 * (a URL that is no UTF-8) are its `frameworkErrors` option, set to `failureReply` in server.ts.
 */
export function registerFailureReplies(app: FastifyInstance, baseUrl: string): void {
  app.setErrorHandler(failureReply(baseUrl));
  app.setNotFoundHandler((request, reply) => {
    reply.code(404);
    if (isApiRequest(request)) return reply.send({ error: 'no such endpoint' });
    return reply
      .type(HTML)
      .send(
        renderMessagePage(
          pageContext(request, baseUrl),
          'Not found',
          request.url.startsWith('/feeds/') ? NO_SUCH_FEED : 'There is no page at this address.',
        ),
      );
  });
}
