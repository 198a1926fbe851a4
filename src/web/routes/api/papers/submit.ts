/** `POST /api/papers/submit`: a member adds a paper by arXiv id or link (201 with the paper). */
import type { FastifyReply } from 'fastify';
import { FormError } from '../../../../services/accounts.ts';
import { submitPaper } from '../../../../services/submit-paper.ts';
import { ApiParameterError, type submitBody, type WithBody } from '../../../api/params.ts';
import { memberOf } from '../../guards.ts';
import type { Site } from '../../site.ts';
import { hfEntries } from '../entries.ts';

export async function submitApi(request: WithBody<typeof submitBody>, reply: FastifyReply, site: Site) {
  const { store, config } = site;
  const body = request.body;
  try {
    const { paperId } = await submitPaper(
      store,
      site.fetchPaper,
      memberOf(request),
      body.paper,
      config.submissions,
    );
    const paper = await store.papers.getPaper(paperId);
    return reply.code(201).send(paper && (await hfEntries(store.papers, [paper], config.baseUrl))[0]);
  } catch (error) {
    if (error instanceof FormError) throw new ApiParameterError('paper', error.fields.paper ?? error.message);
    throw error;
  }
}
