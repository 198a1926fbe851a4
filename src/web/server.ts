import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config, TrustProxy } from '../config.ts';
import { ImageFiles } from '../images/image-files.ts';
import type { SemanticSearch } from '../search-index/semantic-search.ts';
import { ImageMirror } from '../services/image-mirror.ts';
import type { PaperFetcher } from '../services/submit-paper.ts';
import { type ArxivApiOptions, fetchArxivPaper } from '../sources/arxiv-api.ts';
import type { Store } from '../store/store.ts';
import { registerOpenApi } from './api/openapi.ts';
import { registerSchemaCompilers } from './api/schema-compilers.ts';
import { failureReply, registerFailureReplies } from './failure-replies.ts';
import { checkFormObject, parseFormBody } from './form-body.ts';
import { registerHttpProtocol } from './http-protocol.ts';
import { registerReadYourWrites } from './read-your-writes.ts';
import { registerRequestContext } from './request-context.ts';
import { registerRoutes } from './routes/register-routes.ts';
import { ROUTES } from './routes/route-table.ts';
import { openSite } from './routes/site.ts';
import { registerSecurityHeaders, SECURITY_HEADERS_WITHOUT_HOOKS } from './security-headers.ts';
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

/** How URLs find their routes. */
export const ROUTER_OPTIONS = {
  ignoreTrailingSlash: true,
  // Signed tokens from account mails travel as path parameters (Fastify's default allows 100 characters).
  maxParamLength: 600,
};

export async function buildServer({
  store,
  config,
  fetchPaper,
  semantic,
}: ServerDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false,
    trustProxy: trustedProxies(config.trustProxy),
    routerOptions: ROUTER_OPTIONS,
    // A URL that is no UTF-8 gets the site's 400 page (or JSON), not Fastify's JSON.
    frameworkErrors: (error, request, reply) => {
      reply.headers(SECURITY_HEADERS_WITHOUT_HOOKS);
      return failureReply(config.baseUrl)(error, request, reply);
    },
  });
  await registerSecurityHeaders(app);
  const routeList: FastifyInstance['routeList'] = [];
  app.decorate('routeList', routeList);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routeList.push({ method, url: route.url });
  });
  await app.register(fastifyCookie);
  if (config.database.kind === 'postgres' && config.database.replicaUrl) registerReadYourWrites(app);
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
  registerSchemaCompilers(app);
  await registerOpenApi(app, config.baseUrl);

  const deps = {
    store,
    config,
    fetchPaper: fetchPaper ?? ((id: string) => fetchArxivPaper(id, interactiveArxiv(config.arxivApiUrl))),
    semantic: semantic ?? null,
  };
  const imageFiles = new ImageFiles(config.images.dir);
  app.decorate('imageLinks', new ImageMirror(imageFiles, { fetch: config.images.fetch }));
  registerRoutes(app, openSite(app, deps, imageFiles), ROUTES);

  registerFailureReplies(app, config.baseUrl);
  return app;
}
