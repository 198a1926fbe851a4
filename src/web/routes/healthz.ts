/** `/healthz`: for load balancers and monitors. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Site } from './site.ts';

export async function healthz(_request: FastifyRequest, _reply: FastifyReply, site: Site) {
  return { ok: true, papers: await site.store.papers.countPapers() };
}
