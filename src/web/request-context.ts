import { randomBytes, timingSafeEqual } from 'node:crypto';
import '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Member } from '../domain/member.ts';
import { sessionMember } from '../services/accounts.ts';
import type { Store } from '../store/store.ts';
import type { PageContext } from './views/layout.ts';

export const SESSION_COOKIE = 'dp_session';
export const CSRF_COOKIE = 'dp_csrf';

declare module 'fastify' {
  interface FastifyRequest {
    member: Member | null;
    csrfToken: string;
  }
}

export class CsrfError extends Error {
  constructor() {
    super('this form has expired or did not come from this site; reload the page and try again');
    this.name = 'CsrfError';
  }
}

export function cookieOptions(request: FastifyRequest, baseUrl: string, maxAgeSeconds?: number) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: request.protocol === 'https' || baseUrl.startsWith('https:'),
    ...(maxAgeSeconds !== undefined && { maxAge: maxAgeSeconds }),
  };
}

function sameToken(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Loads the member of the session cookie and gives every visitor a CSRF token (double-submit cookie):
 * every POST must echo it in the `_csrf` field or the `x-csrf-token` header.
 */
export function registerRequestContext(app: FastifyInstance, store: Store, baseUrl: string): void {
  app.decorateRequest('member', null);
  app.decorateRequest('csrfToken', '');
  app.addHook('preHandler', async (request, reply) => {
    const cookie = request.cookies[CSRF_COOKIE];
    const valid = cookie !== undefined && /^[A-Za-z0-9_-]{32}$/.test(cookie);
    request.csrfToken = valid ? cookie : randomBytes(24).toString('base64url');
    if (!valid)
      reply.setCookie(CSRF_COOKIE, request.csrfToken, cookieOptions(request, baseUrl, 60 * 60 * 24 * 365));
    // Narrow exemption: only routes that declare `config: { csrfExempt: true }` (the RFC 8058 one-click
    // unsubscribe, which mail clients post without cookies and which a signed token in its URL authorizes).
    if (request.method === 'POST' && request.routeOptions.config?.csrfExempt !== true) {
      const body = request.body as Record<string, unknown> | undefined;
      const sent = (typeof body?._csrf === 'string' && body._csrf) || request.headers['x-csrf-token'];
      if (!valid || typeof sent !== 'string' || !sameToken(sent, cookie)) throw new CsrfError();
    }
    request.member = await sessionMember(store, request.cookies[SESSION_COOKIE]);
  });
}

export function pageContext(request: FastifyRequest, baseUrl: string): PageContext {
  return {
    member: request.member,
    csrfToken: request.csrfToken,
    path: request.url.split('?')[0] ?? '/',
    baseUrl,
    images: request.server.imageLinks,
  };
}

const LOCAL_ORIGIN = 'http://local.invalid';

/**
 * Where to go after a form: a local path only, never another site, percent-encoded so it can go in a
 * `Location` header whatever characters it was sent with. Never throws.
 */
export function safeNext(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || !/^\/(?!\/)[^\s\\]*$/.test(value)) return fallback;
  try {
    const url = new URL(value, LOCAL_ORIGIN);
    return url.origin === LOCAL_ORIGIN ? `${url.pathname}${url.search}${url.hash}` : fallback;
  } catch {
    return fallback;
  }
}

/**
 * The path of the page on this site a form was posted from (the `Referer`), or `fallback` when there is none, it
 * is another site's or it is not a URL at all; never throws.
 */
export function refererPath(request: FastifyRequest, fallback = '/'): string {
  const referer = request.headers.referer;
  if (!referer || !URL.canParse(referer)) return fallback;
  const url = new URL(referer);
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.host !== request.host) return fallback;
  return safeNext(url.pathname, fallback);
}

export function wantsJson(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').includes('application/json');
}

export function redirectAfterPost(reply: FastifyReply, to: string): FastifyReply {
  return reply.redirect(to, 303);
}
