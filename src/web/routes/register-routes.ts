import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { isArxivId, normalizeArxivId } from '../../domain/arxiv-id.ts';
import { NotFoundError } from '../../store/store.ts';
import { applyGuards, type GuardSpec } from './guards.ts';
import { notFound } from './responses.ts';
import type { Site } from './site.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** This POST is authorized by something other than the session (a signed link): skip the CSRF check. */
    csrfExempt?: boolean;
  }
}

/** What a route answers with: an HTML page, a form action, the JSON API, a feed or a document for tools. */
export type RouteKind = 'page' | 'action' | 'api' | 'feed' | 'document';

/** Each handler names its own request shape; the table holds them all. */
type AnyRequest = FastifyRequest<any>;

export type RouteHandler = (request: AnyRequest, reply: FastifyReply, site: Site) => Promise<unknown>;

export interface RouteSpec extends GuardSpec {
  /** `:paper` stands for an arXiv id, new style (2405.15738) or old, with its slash (hep-th/9901001). */
  url: string;
  kind: RouteKind;
  handler: RouteHandler;
  /**
   * Authorized by the signed token in its URL and posted by mail clients without our cookies (RFC 8058
   * one-click unsubscribe): no CSRF check, and multipart bodies are accepted too.
   */
  signedLinkPost?: boolean;
  helmet?: RouteOptions['helmet'];
}

/** The Fastify URLs of a table URL: `:paper` as one segment (new-style id) and as two (old-style id). */
export function fastifyUrls(url: string): string[] {
  if (!url.includes(':paper')) return [url];
  return [url.replace(':paper', ':id'), url.replace(':paper', ':archive/:number')];
}

/** The arXiv id a `:paper` route was called with, normalized, or null when it is not one. */
export function paperParam(request: FastifyRequest): string | null {
  const raw = rawPaperParam(request);
  return isArxivId(raw) ? normalizeArxivId(raw) : null;
}

/** The arXiv id of a paper action (POST `:paper` route), which its registration checked before the handler. */
export function actionPaperId(request: FastifyRequest): string {
  const id = paperParam(request);
  if (!id) throw new NotFoundError(`paper “${rawPaperParam(request)}”`);
  return id;
}

/** The `:paper` segment(s) as sent. */
export function rawPaperParam(request: FastifyRequest): string {
  const params = request.params as { id?: string; archive?: string; number?: string };
  return params.id ?? `${params.archive}/${params.number}`;
}

function registerRoute(app: FastifyInstance, spec: RouteSpec, site: Site): void {
  const paperAction = spec.method === 'POST' && spec.url.includes(':paper');
  for (const url of fastifyUrls(spec.url)) {
    app.route({
      method: spec.method,
      url,
      ...(spec.signedLinkPost && { config: { csrfExempt: true } }),
      ...(spec.helmet && { helmet: spec.helmet }),
      ...((spec.guard || spec.rateLimit || paperAction) && {
        preHandler: async (request, reply) => {
          // A paper action on what is no paper is a 404 whoever asks, before the guards.
          if (paperAction && !paperParam(request))
            return notFound(reply, request, site.config, 'There is no such paper.');
          return applyGuards(spec, request, reply, site);
        },
      }),
      handler: (request, reply) => spec.handler(request, reply, site),
    });
  }
}

/** Registers every route of `table`, with its guards. */
export function registerRoutes(app: FastifyInstance, site: Site, table: readonly RouteSpec[]): void {
  for (const spec of table) if (!spec.signedLinkPost) registerRoute(app, spec, site);
  // Mail clients post one-click unsubscribes as x-www-form-urlencoded or multipart/form-data (RFC 8058).
  app.register(async (scope) => {
    scope.addContentTypeParser(
      'multipart/form-data',
      { parseAs: 'string', bodyLimit: 4096 },
      (_request, _body, done) => done(null, {}),
    );
    for (const spec of table) if (spec.signedLinkPost) registerRoute(scope, spec, site);
  });
}
