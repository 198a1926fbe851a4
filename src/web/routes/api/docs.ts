/** `GET /api/openapi.json` and `GET /api/docs`: the API's description, for tools and for people. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { renderApiDocsPage } from '../../api/api-docs-page.ts';
import { openApiDocument } from '../../api/openapi.ts';
import type { Site } from '../site.ts';

export async function openApiJson(request: FastifyRequest, _reply: FastifyReply, _site: Site) {
  return openApiDocument(request.server);
}

export async function apiDocs(request: FastifyRequest, reply: FastifyReply, site: Site) {
  return reply.type('text/html; charset=utf-8').send(renderApiDocsPage(request, site.config));
}
