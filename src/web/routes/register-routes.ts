import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { isArxivId, normalizeArxivId } from '../../domain/arxiv-id.ts';
import { NotFoundError } from '../../store/store.ts';
import type { ApiRouteSchema } from '../api/openapi/route-schema.ts';
import { documentedSchema } from '../api/openapi.ts';
import { applyGuards, type GuardSpec } from './guards.ts';
import { notFound } from './responses.ts';
import type { Site } from './site.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** This POST is authorized by something other than the session (a signed link): skip the CSRF check. */
    csrfExempt?: boolean;
    /** Anonymous visitors post this form without a CSRF token, from this site's pages only (web/own-site.ts). */
    ownSiteWhenAnonymous?: boolean;
  }
}

/** What a route answers with: an HTML page, a form action, the JSON API, a feed or a document for tools. */
export type RouteKind = 'page' | 'action' | 'api' | 'feed' | 'document';

/** Each handler names its own request shape; the table holds them all. */
type AnyRequest = FastifyRequest<any>;

export type RouteHandler = (request: AnyRequest, reply: FastifyReply, site: Site) => Promise<unknown>;

interface RouteBase extends GuardSpec {
  /** `:paper` stands for an arXiv id, new style (2405.15738) or old, with its slash (hep-th/9901001). */
  url: string;
  handler: RouteHandler;
  /**
   * Authorized by the signed token in its URL and posted by mail clients without our cookies (RFC 8058
   * one-click unsubscribe): no CSRF check, and multipart bodies are accepted too.
   */
  signedLinkPost?: boolean;
  /**
   * A form on pages every anonymous visitor gets alike (so a CDN may keep them): anonymous posts carry no CSRF
   * token and are refused when a browser says they come from another site; a member's carry the token.
   */
  ownSiteWhenAnonymous?: boolean;
  helmet?: RouteOptions['helmet'];
}

/**
 * A JSON API route validates its input with its zod `schema`, which is also its OpenAPI description
 * (api/openapi.ts); other routes have none.
 */
export type RouteSpec = RouteBase &
  ({ kind: 'api'; schema: ApiRouteSchema } | { kind: Exclude<RouteKind, 'api'>; schema?: never });

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

/**
 * The route's schema at each of its Fastify URLs: described at the first, which names `:paper` as `{id}`; the
 * old-style id's URL validates the same query and body but is not described again.
 */
function schemaAt(spec: RouteSpec, index: number) {
  if (!spec.schema) return {};
  const schema = documentedSchema(spec.schema, spec);
  if (index === 0) return { schema };
  const { params: _params, ...rest } = schema;
  return { schema: { ...rest, hide: true } };
}

function registerRoute(app: FastifyInstance, spec: RouteSpec, site: Site): void {
  const paperAction = spec.method === 'POST' && spec.url.includes(':paper');
  for (const [index, url] of fastifyUrls(spec.url).entries()) {
    app.route({
      method: spec.method,
      url,
      ...schemaAt(spec, index),
      ...(spec.signedLinkPost && { config: { csrfExempt: true } }),
      ...(spec.ownSiteWhenAnonymous && { config: { ownSiteWhenAnonymous: true } }),
      ...(spec.helmet && { helmet: spec.helmet }),
      // Guards run before the schema's validation: who may call comes before what they sent.
      ...((spec.guard || spec.rateLimit || paperAction) && {
        preValidation: async (request, reply) => {
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
