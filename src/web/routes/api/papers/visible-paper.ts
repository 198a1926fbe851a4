import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Paper } from '../../../../domain/paper.ts';
import { paperParam, rawPaperParam } from '../../register-routes.ts';
import type { Site } from '../../site.ts';

/**
 * A handler of the visible paper its route names (`:paper`): a 404 is answered instead when the parameter is no
 * arXiv id, or the paper is unknown or hidden.
 */
export function ofVisiblePaper<R extends FastifyRequest>(
  handle: (paper: Paper, request: R, site: Site) => unknown,
): (request: R, reply: FastifyReply, site: Site) => Promise<unknown> {
  return async (request, reply, site) => {
    const id = paperParam(request);
    if (!id) return reply.code(404).send({ error: `“${rawPaperParam(request)}” is not an arXiv id` });
    const paper = await site.store.papers.getPaper(id);
    if (!paper || paper.hidden) return reply.code(404).send({ error: `paper ${id} not found` });
    return handle(paper, request, site);
  };
}
