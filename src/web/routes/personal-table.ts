/**
 * The personal layer's routes as route-table entries. Its handlers are written as registrations
 * (`routes/personal.ts`, `api/personal-routes.ts`); this collects them once per site into table handlers.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { registerPersonalApiRoutes } from '../api/personal-routes.ts';
import { registerPersonalRoutes } from './personal.ts';
import type { RouteKind, RouteSpec } from './register-routes.ts';
import type { Site } from './site.ts';

type Handler = (request: FastifyRequest<any>, reply: FastifyReply) => Promise<unknown>;

/** What the registrations call: `get` and `post` with a URL and a handler. */
export interface RouteCollector {
  get<T = unknown>(
    url: string,
    handler: (request: FastifyRequest<T & {}>, reply: FastifyReply) => Promise<unknown>,
  ): void;
  post<T = unknown>(
    url: string,
    handler: (request: FastifyRequest<T & {}>, reply: FastifyReply) => Promise<unknown>,
  ): void;
}

function collect(site: Site): Map<string, Handler> {
  const handlers = new Map<string, Handler>();
  const collector: RouteCollector = {
    get: (url, handler) => void handlers.set(`GET ${url}`, handler as Handler),
    post: (url, handler) => void handlers.set(`POST ${url}`, handler as Handler),
  };
  registerPersonalRoutes(collector, site);
  registerPersonalApiRoutes(collector, site);
  return handlers;
}

const bySite = new WeakMap<Site, Map<string, Handler>>();

function entry(method: 'GET' | 'POST', url: string, kind: RouteKind): RouteSpec {
  return {
    method,
    url,
    kind,
    handler: (request, reply, site) => {
      let handlers = bySite.get(site);
      if (!handlers) bySite.set(site, (handlers = collect(site)));
      return (handlers.get(`${method} ${url}`) as Handler)(request, reply);
    },
  };
}

// biome-ignore format: one route a line
export const PERSONAL_ROUTES: readonly RouteSpec[] = [
  entry('GET', '/for-you', 'page'),
  entry('POST', '/for-you/digest', 'action'),
  entry('GET', '/following', 'page'),
  entry('GET', '/library', 'page'),
  entry('GET', '/collections/:member/:slug', 'page'),
  entry('GET', '/feeds/for-you/:token', 'feed'),
  entry('POST', '/follows', 'action'),
  entry('POST', '/follows/:id/delete', 'action'),
  entry('POST', '/library/save', 'action'),
  entry('POST', '/library/untag', 'action'),
  entry('POST', '/library/remove', 'action'),
  entry('POST', '/library/not-interested', 'action'),
  entry('POST', '/library/collections', 'action'),
  entry('POST', '/account/feed-token', 'action'),
  entry('GET', '/api/me/feed', 'api'),
  entry('GET', '/api/me/follows', 'api'),
  entry('POST', '/api/me/follows', 'api'),
  entry('POST', '/api/me/follows/:id/delete', 'api'),
  entry('GET', '/api/me/library', 'api'),
  entry('POST', '/api/me/library', 'api'),
  entry('POST', '/api/me/library/untag', 'api'),
  entry('POST', '/api/me/library/remove', 'api'),
  entry('POST', '/api/me/not-interested', 'api'),
  entry('GET', '/api/me/tags', 'api'),
  entry('GET', '/api/me/collections', 'api'),
  entry('POST', '/api/me/collections', 'api'),
];
