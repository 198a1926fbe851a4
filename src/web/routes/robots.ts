/** `/robots.txt` and `/favicon.ico`. */
import { readFileSync } from 'node:fs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Site } from './site.ts';

const FAVICON = readFileSync(new URL('../assets/favicon.svg', import.meta.url));

function robotsTxt(baseUrl: string): string {
  return [
    'User-agent: *',
    'Disallow: /account',
    'Disallow: /admin',
    'Disallow: /login',
    'Disallow: /signup',
    'Disallow: /search',
    'Disallow: /api/',
    '',
    `Sitemap: ${baseUrl}/sitemap.xml`,
    '',
  ].join('\n');
}

export async function robots(_request: FastifyRequest, reply: FastifyReply, site: Site) {
  return reply.type('text/plain; charset=utf-8').send(robotsTxt(site.config.baseUrl));
}

export async function favicon(_request: FastifyRequest, reply: FastifyReply) {
  return reply.type('image/svg+xml').header('cache-control', 'public, max-age=604800').send(FAVICON);
}
