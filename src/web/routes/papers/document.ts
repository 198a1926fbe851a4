/** `/papers/:paper.md` and `/papers/:paper.bib`: a paper for tools other than browsers. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Paper } from '../../../domain/paper.ts';
import { renderPaperBibtex } from '../../scholarly/paper-bibtex.ts';
import { renderPaperMarkdown } from '../../scholarly/paper-markdown.ts';
import { paperParam, rawPaperParam } from '../register-routes.ts';
import { notFound } from '../responses.ts';
import type { Site } from '../site.ts';

type Render = (paper: Paper, baseUrl: string) => string;

function paperDocument(extension: string, type: string, render: Render) {
  return async (request: FastifyRequest, reply: FastifyReply, site: Site) => {
    const id = paperParam(request);
    if (!id)
      return notFound(
        reply,
        request,
        site.config,
        `There is no paper “${rawPaperParam(request)}.${extension}”.`,
      );
    const paper = await site.store.papers.getPaper(id);
    if (!paper || paper.hidden)
      return notFound(reply, request, site.config, `No paper with id ${id} on this site.`);
    return reply.type(type).send(render(paper, site.config.baseUrl));
  };
}

export const paperMarkdown = paperDocument('md', 'text/markdown; charset=utf-8', renderPaperMarkdown);
export const paperBibtex = paperDocument('bib', 'application/x-bibtex; charset=utf-8', renderPaperBibtex);
