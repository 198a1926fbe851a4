/**
 * `GET /api/arxiv/:paper/repos`: Hugging Face's linked repositories of a paper; we know its code and project
 * page, never models, datasets or Spaces.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Site } from '../../site.ts';
import { visiblePaper } from '../papers/show.ts';

export async function paperRepos(request: FastifyRequest, reply: FastifyReply, site: Site) {
  const paper = await visiblePaper(request, reply, site);
  if (!paper) return reply;
  return {
    models: [],
    datasets: [],
    spaces: [],
    ...(paper.githubRepo && { githubRepo: paper.githubRepo }),
    ...(paper.projectPage && { projectPage: paper.projectPage }),
  };
}
