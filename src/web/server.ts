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
import type { Config } from '../config.ts';
import type { SemanticSearch } from '../search-index/semantic-search.ts';
import { FormError } from '../services/accounts.ts';
import type { PaperFetcher } from '../services/submit-paper.ts';
import { fetchArxivPaper } from '../sources/arxiv-api.ts';
import { NotFoundError, type Store } from '../store/store.ts';
import { ApiParameterError } from './api/params.ts';
import { registerApiRoutes } from './api/routes.ts';
import { registerFeedRoutes } from './feeds/routes.ts';
import { registerHttpProtocol } from './http-protocol.ts';
import { CsrfError, pageContext, registerRequestContext, wantsJson } from './request-context.ts';
import { registerAccountRoutes } from './routes/accounts.ts';
import { LoginRequiredError, registerActionRoutes } from './routes/actions.ts';
import { registerPageRoutes } from './routes/pages.ts';
import { RateLimitedError } from './routes/rate-limit.ts';
import { HTML } from './routes/responses.ts';
import { registerSearchRoutes } from './routes/search.ts';
import { registerSubscriptionRoutes } from './routes/subscriptions.ts';
import { registerScholarlyRoutes } from './scholarly/routes.ts';
import { renderMessagePage } from './views/forms.ts';

export interface ServerDeps {
  store: Store;
  config: Config;
  /** Defaults to the arXiv API at `config.arxivApiUrl`. */
  fetchPaper?: PaperFetcher;
  semantic?: SemanticSearch | null;
}

const ASSETS = join(dirname(fileURLToPath(import.meta.url)), 'assets');
const KATEX_DIST = dirname(fileURLToPath(import.meta.resolve('katex/dist/katex.min.css')));

interface Failure {
  status: number;
  title: string;
  message: string;
}

function describeFailure(error: FastifyError | Error): Failure {
  if (error instanceof CsrfError) return { status: 403, title: 'Form expired', message: error.message };
  if (error instanceof RateLimitedError) return { status: 429, title: 'Slow down', message: error.message };
  if (error instanceof LoginRequiredError)
    return { status: 401, title: 'Log in first', message: error.message };
  if (error instanceof NotFoundError) return { status: 404, title: 'Not found', message: error.message };
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

function refererPath(request: FastifyRequest): string {
  try {
    return new URL(request.headers.referer ?? '/', 'http://x').pathname;
  } catch {
    return '/';
  }
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
    trustProxy: config.trustProxy,
    routerOptions: { ignoreTrailingSlash: true },
  });
  await app.register(fastifyCookie);
  await app.register(fastifyFormbody);
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
    fetchPaper: fetchPaper ?? ((id: string) => fetchArxivPaper(id, { baseUrl: config.arxivApiUrl })),
    semantic: semantic ?? null,
  };
  registerPageRoutes(app, deps);
  registerSearchRoutes(app, deps);
  registerAccountRoutes(app, deps);
  registerActionRoutes(app, deps);
  registerApiRoutes(app, deps);
  registerFeedRoutes(app, deps);
  registerScholarlyRoutes(app, deps);
  registerSubscriptionRoutes(app, deps);
  app.get('/healthz', async () => ({ ok: true, papers: await store.countPapers() }));

  app.setErrorHandler((error: FastifyError | Error, request, reply: FastifyReply) => {
    const failure = describeFailure(error);
    if (failure.status === 500) console.error(error);
    if (error instanceof RateLimitedError) reply.header('retry-after', String(error.retryAfterSeconds));
    reply.code(failure.status);
    if (isApiRequest(request)) return reply.send({ error: failure.message });
    const context = pageContext(request, config.baseUrl);
    if (error instanceof LoginRequiredError) {
      const next = request.method === 'GET' ? request.url : refererPath(request);
      return reply.redirect(`/login?next=${encodeURIComponent(next)}`, 303);
    }
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
