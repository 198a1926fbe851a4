/**
 * Whether a browser says a form was posted from one of this site's pages, for the forms that anonymous
 * visitors post without a CSRF token (so the pages that carry them are the same for everyone, and a CDN may keep
 * them): `Sec-Fetch-Site`, else `Origin`, else `Referer`. A client that sends none of them is no browser, and no
 * visitor's cookies ride on it.
 */
import type { FastifyRequest } from 'fastify';

export class CrossSiteFormError extends Error {
  constructor() {
    super('this form was sent from another site; fill it in on this site’s own page');
    this.name = 'CrossSiteFormError';
  }
}

function originOf(value: string): string | null {
  return URL.canParse(value) ? new URL(value).origin : null;
}

export function postedFromOwnSite(request: FastifyRequest, baseUrl: string): boolean {
  const fetchSite = request.headers['sec-fetch-site'];
  if (typeof fetchSite === 'string') return fetchSite === 'same-origin';
  const claimed = request.headers.origin ?? request.headers.referer;
  if (claimed === undefined) return true;
  const origin = originOf(claimed);
  if (origin === null) return false;
  return origin === originOf(baseUrl) || origin === `${request.protocol}://${request.host}`;
}
