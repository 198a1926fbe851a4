import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import type { Config, TrustProxy } from '../config.ts';
import { ImageFiles } from '../images/image-files.ts';
import type { SemanticSearch } from '../search-index/semantic-search.ts';
import { FormError } from '../services/accounts.ts';
import { ApiTokenError } from '../services/api-tokens.ts';
import { ImageMirror } from '../services/image-mirror.ts';
import { RateLimitedError } from '../services/rate-limit.ts';
import type { PaperFetcher } from '../services/submit-paper.ts';
import { type ArxivApiOptions, fetchArxivPaper } from '../sources/arxiv-api.ts';
import { NotFoundError, type Store, StoreUnavailableError } from '../store/store.ts';
import { ApiParameterError } from './api/params.ts';
import { checkFormObject, parseFormBody } from './form-body.ts';
import { registerHttpProtocol } from './http-protocol.ts';
import { CsrfError, pageContext, refererPath, registerRequestContext, wantsJson } from './request-context.ts';
import { EmailNotVerifiedError, LoginRequiredError } from './routes/guards.ts';
import { registerRoutes } from './routes/register-routes.ts';
import { HTML } from './routes/responses.ts';
import { ROUTES } from './routes/route-table.ts';
import { openSite } from './routes/site.ts';
import { registerSecurityHeaders } from './security-headers.ts';
import { renderConfirmEmailFirstPage } from './views/account-pages.ts';
import { renderMessagePage } from './views/forms.ts';
import type { ImageLinks } from './views/images.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route the app answers, as registered (method and URL pattern), e.g. for tests that visit them all. */
    routeList: Array<{ method: string; url: string }>;
    /** Our copies of remote images, for pageContext; null when the site keeps none. */
    imageLinks: ImageLinks | null;
  }
}

export interface ServerDeps {
  store: Store;
  config: Config;
  /** Defaults to the arXiv API at `config.arxivApiUrl`. */
  fetchPaper?: PaperFetcher;
  semantic?: SemanticSearch | null;
}

const ARXIV_TIMEOUT_MS = 15_000;
const ASSETS = join(dirname(fileURLToPath(import.meta.url)), 'assets');
const KATEX_DIST = dirname(fileURLToPath(import.meta.resolve('katex/dist/katex.min.css')));

interface Failure {
  status: number;
  title: string;
  message: string;
}

function describeFailure(error: FastifyError | Error): Failure {
  if (error instanceof CsrfError) return { status: 403, title: 'Form expired', message: error.message };
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

/** A member waits on the answer: no waiting out a busy arXiv, and a bounded wait for a silent one. */
function interactiveArxiv(baseUrl: string): ArxivApiOptions {
  return {
    baseUrl,
    maxRetries: 0,
    fetch: (url, init) => fetch(url, { ...init, signal: AbortSignal.timeout(ARXIV_TIMEOUT_MS) }),
  };
}

/**
 * Fastify's `trustProxy` for TRUST_PROXY: proxy addresses as they are; a hop count as a function trusting the
 * nearest N hops (this Fastify treats a bare number as "trust nothing").
 */
function trustedProxies(trust: TrustProxy): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trust !== 'number') return trust;
  return (_address, hop) => hop < trust;
}

function isApiRequest(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/') || wantsJson(request);
}

export async function buildServer({
  store,
  config,
  fetchPaper,
  semantic,
}: ServerDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false,
    trustProxy: trustedProxies(config.trustProxy),
    // Signed tokens from account mails travel as path parameters (Fastify's default allows 100 characters).
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 600 },
  });
  await registerSecurityHeaders(app);
  const routeList: FastifyInstance['routeList'] = [];
  app.decorate('routeList', routeList);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routeList.push({ method, url: route.url });
  });
  await app.register(fastifyCookie);
  await app.register(fastifyFormbody, { parser: parseFormBody });
  // JSON sent to an HTML form route follows the form rule too (the API validates its own bodies).
  app.addHook('preValidation', async (request) => {
    if (request.method === 'POST' && !request.url.startsWith('/api/')) checkFormObject(request.body);
  });
  await registerHttpProtocol(app);
  await app.register(fastifyStatic, { root: ASSETS, prefix: '/assets/', maxAge: '1h' });
  await app.register(fastifyStatic, {
    root: KATEX_DIST,
    prefix: '/assets/katex/',
    decorateReply: false,
    maxAge: '7d',
    immutable: true,
  });
  registerRequestContext(app, store, config.baseUrl);

  const deps = {
    store,
    config,
    fetchPaper: fetchPaper ?? ((id: string) => fetchArxivPaper(id, interactiveArxiv(config.arxivApiUrl))),
    semantic: semantic ?? null,
  };
  const imageFiles = new ImageFiles(config.images.dir);
  app.decorate('imageLinks', new ImageMirror(imageFiles, { fetch: config.images.fetch }));
  registerRoutes(app, openSite(app, deps, imageFiles), ROUTES);

  app.setErrorHandler((error: FastifyError | Error, request, reply: FastifyReply) => {
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
    const context = pageContext(request, config.baseUrl);
    if (error instanceof LoginRequiredError) {
      const next = request.method === 'GET' ? request.url : refererPath(request);
      return reply.redirect(`/login?next=${encodeURIComponent(next)}`, 303);
    }
    if (error instanceof EmailNotVerifiedError)
      return reply.type(HTML).send(renderConfirmEmailFirstPage(context, failure.message));
    return reply.type(HTML).send(renderMessagePage(context, failure.title, failure.message));
  });
  app.setNotFoundHandler((request, reply) => {
    reply.code(404);
    if (isApiRequest(request)) return reply.send({ error: 'no such endpoint' });
    return reply
      .type(HTML)
      .send(
        renderMessagePage(
          pageContext(request, config.baseUrl),
          'Not found',
          'There is no page at this address.',
        ),
      );
  });
  return app;
}
