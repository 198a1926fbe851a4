import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { currentReadScope, readsFromPrimary, readsFromReplica } from '../store/read-routing.ts';

/** Set after a request that wrote: the browser's next requests read the primary, which has the write. */
const FRESH_COOKIE = 'dp_fresh';
/** Far longer than a healthy streaming replica lags (milliseconds), short enough to leave most reads to it. */
const FRESH_SECONDS = 10;
/** API clients with a token may keep no cookies: their recent writes are remembered here, per process. */
const MAX_REMEMBERED_TOKENS = 10_000;

/**
 * For a site with a read replica: GET and HEAD requests read from the replica unless the visitor wrote in the
 * last few seconds; every other request, and a request after its own write, reads the primary.
 */
export function registerReadYourWrites(app: FastifyInstance): void {
  const recentTokenWrites = new Map<string, number>();
  const tokenKey = (request: FastifyRequest) => {
    const authorization = request.headers.authorization;
    return authorization ? createHash('sha256').update(authorization).digest('base64url') : null;
  };
  const wroteRecently = (request: FastifyRequest) => {
    if (request.cookies[FRESH_COOKIE]) return true;
    const key = tokenKey(request);
    return key !== null && (recentTokenWrites.get(key) ?? 0) > Date.now();
  };

  app.addHook('onRequest', (request, _reply, done) => {
    const reading = (request.method === 'GET' || request.method === 'HEAD') && !wroteRecently(request);
    (reading ? readsFromReplica : readsFromPrimary)(done);
  });
  app.addHook('onSend', async (request, reply, payload) => {
    if (!currentReadScope()?.wrote) return payload;
    reply.setCookie(FRESH_COOKIE, '1', { path: '/', maxAge: FRESH_SECONDS, httpOnly: true, sameSite: 'lax' });
    const key = tokenKey(request);
    if (key !== null) {
      recentTokenWrites.delete(key);
      recentTokenWrites.set(key, Date.now() + FRESH_SECONDS * 1000);
      if (recentTokenWrites.size > MAX_REMEMBERED_TOKENS)
        recentTokenWrites.delete(recentTokenWrites.keys().next().value as string);
    }
    return payload;
  });
}
