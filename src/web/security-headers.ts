import fastifyHelmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/**
 * The Content-Security-Policy of every page. Scripts come only from our own files (no inline script, no
 * `on…=` attributes). Styles come from our own stylesheets; the one exception is `style-src-attr
 * 'unsafe-inline'`: KaTeX's HTML output sizes and positions glyphs with inline `style` attributes (heights, vertical
 * alignment, struts), so typeset math needs them. That allows style attributes only: not `<style>` elements, not
 * scripts, and nothing of ours needs them. Images may come from https hosts (organization avatars are
 * Hugging Face's); everything else stays on this origin.
 */
export const CONTENT_SECURITY_POLICY = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'"],
  'style-src-elem': ["'self'"],
  'style-src-attr': ["'unsafe-inline'"],
  // Pages show only our own copies of remote images (services/image-mirror.ts), never a third party's.
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
} as const;

/**
 * Mail markup shown in the browser (a digest's "view in browser" page) keeps its inline styles and `<style>`
 * block, which mail clients need; it has no script at all.
 */
export const MAIL_PAGE_POLICY = {
  ...CONTENT_SECURITY_POLICY,
  'script-src': ["'none'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'style-src-elem': ["'self'", "'unsafe-inline'"],
} as const;

/** Security headers on every response (@fastify/helmet): CSP, nosniff, referrer policy, no framing. */
export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    frameguard: { action: 'deny' },
    // HSTS belongs to the proxy that terminates TLS; a self-hosted site may well be served over plain HTTP.
    strictTransportSecurity: false,
    // Feeds, the JSON API and avatars are meant to be read by other sites and apps.
    crossOriginResourcePolicy: false,
  });
}

/**
 * The same headers as plain values, for the answers Fastify gives before any hook runs (a URL that is no UTF-8,
 * see server.ts `frameworkErrors`), where the plugin cannot add them.
 */
export const SECURITY_HEADERS_WITHOUT_HOOKS: Readonly<Record<string, string>> = {
  'content-security-policy': Object.entries(CONTENT_SECURITY_POLICY)
    .map(([directive, sources]) => `${directive} ${sources.join(' ')}`)
    .join(';'),
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-frame-options': 'DENY',
};
