/** `GET /api/papers/:paper` and `GET /api/papers/:paper/similar`. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Paper } from '../../../../domain/paper.ts';
import { similarPapers } from '../../../../services/search-papers.ts';
import { toHfDailyEntry } from '../../../api/hf-entry.ts';
import type { similarQuery, WithQuery } from '../../../api/params.ts';
import { paperParam, rawPaperParam } from '../../register-routes.ts';
import type { Site } from '../../site.ts';
import { hfEntries } from '../entries.ts';

/** The visible paper the route names, or null once a 404 is answered. */
export async function visiblePaper(
  request: FastifyRequest,
  reply: FastifyReply,
  site: Site,
): Promise<Paper | null> {
  const id = paperParam(request);
  if (!id) {
    reply.code(404).send({ error: `“${rawPaperParam(request)}” is not an arXiv id` });
    return null;
  }
  const paper = await site.store.papers.getPaper(id);
  if (!paper || paper.hidden) {
    reply.code(404).send({ error: `paper ${id} not found` });
    return null;
  }
  return paper;
}

export async function paperApi(request: FastifyRequest, reply: FastifyReply, site: Site) {
  const paper = await visiblePaper(request, reply, site);
  if (!paper) return reply;
  const entry = toHfDailyEntry(paper, site.config.baseUrl);
  return { ...(entry.paper as object), numComments: paper.numComments };
}

export async function similarApi(request: WithQuery<typeof similarQuery>, reply: FastifyReply, site: Site) {
  const paper = await visiblePaper(request, reply, site);
  if (!paper) return reply;
  const limit = request.query.limit;
  const { store, semantic } = site;
  return hfEntries(await similarPapers({ store, semantic }, paper.id, limit), site.config.baseUrl);
}
