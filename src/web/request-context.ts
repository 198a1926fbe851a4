import { randomBytes, timingSafeEqual } from 'node:crypto';
import '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Member } from '../domain/member.ts';
import { sessionMember } from '../services/accounts.ts';
import { bearerCredential, memberForApiToken } from '../services/api-tokens.ts';
import { unreadNotificationCount } from '../services/notifications.ts';
import type { Store } from '../store/store.ts';
import { CrossSiteFormError, postedFromOwnSite } from './own-site.ts';
import type { PageContext } from './views/layout.ts';

export const SESSION_COOKIE = 'dp_session';
export const CSRF_COOKIE = 'dp_csrf';

declare module 'fastify' {
  interface FastifyRequest {
    member: Member | null;
    /** How the member was recognized: a session cookie, or a personal API token (`Authorization: Bearer`). */
    authenticatedBy: 'session' | 'token' | null;
    /** The member's unread notifications, counted for pages (0 otherwise). */
    unreadNotifications: number;
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

interface CsrfState {
  reply: FastifyReply;
  /** The visitor's token from a well-formed cookie, or the one issued in this response. */
  token: string | null;
  /** While a shared page is rendered: what stands in for the token. */
  placeholder: string | null;
  used: boolean;
}

const csrfStates = new WeakMap<FastifyRequest, CsrfState>();

/** The token of the visitor's CSRF cookie, when it is well-formed. */
function csrfCookie(request: FastifyRequest): string | null {
  const cookie = request.cookies[CSRF_COOKIE];
  return cookie !== undefined && /^[A-Za-z0-9_-]{32}$/.test(cookie) ? cookie : null;
}

/**
 * The visitor's CSRF token, issued (with its cookie) only when something reads it: a page that renders a form,
 * or a POST. Responses without a form carry no cookie, so caches can keep them.
 */
function csrfTokenOf(request: FastifyRequest, baseUrl: string): string {
  const state = csrfStates.get(request);
  if (!state) return '';
  if (state.placeholder !== null) return state.placeholder;
  state.used = true;
  if (state.token === null) {
    state.token = randomBytes(24).toString('base64url');
    state.reply.setCookie(CSRF_COOKIE, state.token, cookieOptions(request, baseUrl, 60 * 60 * 24 * 365));
  }
  return state.token;
}

/** Whether the response carries the visitor's CSRF token, so it is theirs alone. */
export function usedCsrfToken(request: FastifyRequest): boolean {
  return csrfStates.get(request)?.used ?? false;
}

/** Renders with `placeholder` where the CSRF token goes (for a page shared by every anonymous visitor). */
export async function withCsrfPlaceholder<T>(
  request: FastifyRequest,
  placeholder: string,
  render: () => Promise<T>,
): Promise<T> {
  const state = csrfStates.get(request);
  if (!state) return render();
  state.placeholder = placeholder;
  try {
    return await render();
  } finally {
    state.placeholder = null;
  }
}

/** The double-submit check: the `_csrf` field or `x-csrf-token` header must echo the CSRF cookie. */
function checkCsrfToken(request: FastifyRequest): void {
  const cookie = csrfCookie(request);
  const body = request.body as Record<string, unknown> | undefined;
  const sent = (typeof body?._csrf === 'string' && body._csrf) || request.headers['x-csrf-token'];
  if (cookie === null || typeof sent !== 'string' || !sameToken(sent, cookie)) {
    void request.csrfToken; // a fresh cookie when it was missing, for the next try
    throw new CsrfError();
  }
}

/** Methods that change something: with a session cookie, they must carry the CSRF token. */
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Paths that are never an HTML page with the site's header (no unread count needed). */
const NOT_PAGES = /^\/(?:api|feeds|assets|images)\//;

/**
 * Loads the request's member, in one place for every route: from a personal API token when the request has
 * `Authorization: Bearer` (then the session cookie is ignored, and no CSRF token is needed: a token is not
 * something a browser sends by itself), else from the session cookie, checking the CSRF token (double-submit
 * cookie) on every request that changes something: it must echo it in the `_csrf` field or the `x-csrf-token`
 * header. A bearer credential that names no token is refused (ApiTokenError, 401), never taken as anonymous.
 */
export function registerRequestContext(app: FastifyInstance, store: Store, baseUrl: string): void {
  app.decorateRequest('member', null);
  app.decorateRequest('authenticatedBy', null);
  app.decorateRequest('unreadNotifications', 0);
  app.decorateRequest('csrfToken', {
    getter(this: FastifyRequest) {
      return csrfTokenOf(this, baseUrl);
    },
  });
  app.addHook('onRequest', async (request, reply) => {
    csrfStates.set(request, { reply, token: csrfCookie(request), placeholder: null, used: false });
  });
  // Before validation, so the API's parameter errors come after the CSRF check and the member's guards.
  app.addHook('preValidation', async (request) => {
    const bearer = bearerCredential(request.headers.authorization);
    if (bearer !== null) {
      request.member = await memberForApiToken(store, bearer);
      request.authenticatedBy = 'token';
      return;
    }
    const config = request.routeOptions.config;
    let member: Member | null | undefined;
    // Narrow exemption: only routes that declare `config: { csrfExempt: true }` (the RFC 8058 one-click
    // unsubscribe, which mail clients post without cookies and which a signed token in its URL authorizes).
    if (UNSAFE_METHODS.has(request.method) && config?.csrfExempt !== true) {
      // A form anonymous visitors post without a token (see own-site.ts); a member's still needs it.
      if (config?.ownSiteWhenAnonymous) member = await sessionMember(store, request.cookies[SESSION_COOKIE]);
      if (member === null) {
        if (!postedFromOwnSite(request, baseUrl)) throw new CrossSiteFormError();
      } else checkCsrfToken(request);
    }
    request.member = member ?? (await sessionMember(store, request.cookies[SESSION_COOKIE]));
    if (!request.member) return;
    request.authenticatedBy = 'session';
    if (request.method === 'GET' && !NOT_PAGES.test(request.url))
      request.unreadNotifications = await unreadNotificationCount(store, request.member);
  });
}

export function pageContext(request: FastifyRequest, baseUrl: string): PageContext {
  return {
    member: request.member,
    unreadNotifications: request.unreadNotifications,
    // Read only by a page that renders a form, which is what issues the token.
    get csrfToken() {
      return request.csrfToken;
    },
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
