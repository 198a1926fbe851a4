import fastifyCompress from '@fastify/compress';
import fastifyCors from '@fastify/cors';
import fastifyEtag from '@fastify/etag';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BROTLI_OPTIONS, ENCODINGS, GZIP_OPTIONS } from './kept-encodings.ts';
import { usedCsrfToken } from './request-context.ts';

/** Read-only data other sites may fetch from a browser: the JSON API and the feeds. */
export function isPublicData(url: string): boolean {
  return url.startsWith('/api/') || url.startsWith('/feeds/');
}

/** How long a shared cache (a CDN) may keep what anonymous visitors get. */
const ANONYMOUS_MAX_AGE_SECONDS = 60;

const isHtml = (reply: FastifyReply) => String(reply.getHeader('content-type') ?? '').startsWith('text/html');

/**
 * Who may keep a successful GET: everyone's copy when it is the same for all, else only the visitor's. A
 * browser checks an anonymous page again each time (a cheap 304), so it shows the member's page once they log
 * in; a shared cache keeps it for a minute.
 */
function cacheControl(request: FastifyRequest, reply: FastifyReply): string | null {
  if (request.method !== 'GET' && request.method !== 'HEAD') return null;
  if (reply.statusCode !== 200 && reply.statusCode !== 304) return null;
  if (reply.hasHeader('cache-control')) return null;
  if (request.member) return 'private, no-store';
  if (usedCsrfToken(request) || reply.hasHeader('set-cookie')) return 'private, no-cache';
  if (isHtml(reply)) return `public, max-age=0, s-maxage=${ANONYMOUS_MAX_AGE_SECONDS}`;
  return `public, max-age=${ANONYMOUS_MAX_AGE_SECONDS}`;
}

/**
 * CORS for the public data (GET, HEAD and preflights, never credentials), ETags with 304 answers, gzip and
 * brotli, and Cache-Control that lets a CDN keep what is the same for every anonymous visitor.
 */
export async function registerHttpProtocol(app: FastifyInstance): Promise<void> {
  await app.register(fastifyCors, {
    delegator: (request, callback) =>
      callback(
        null,
        isPublicData(request.url)
          ? { origin: '*', methods: ['GET', 'HEAD', 'OPTIONS'], credentials: false, maxAge: 86_400 }
          : { origin: false },
      ),
  });
  // Weak: the same tag is right whichever encoding the body is sent in.
  await app.register(fastifyEtag, { weak: true });
  await app.register(fastifyCompress, {
    encodings: [...ENCODINGS],
    brotliOptions: BROTLI_OPTIONS,
    zlibOptions: GZIP_OPTIONS,
  });
  app.addHook('onSend', async (request, reply, payload) => {
    const value = cacheControl(request, reply);
    if (value) {
      reply.header('cache-control', value);
      // A member's page differs from the anonymous one at the same address.
      if (isHtml(reply)) {
        const vary = reply.getHeader('vary');
        reply.header('vary', vary ? `${String(vary)}, Cookie` : 'Cookie');
      }
    }
    return payload;
  });
}
