/** `/papers/:paper`: a paper with its comments and similar papers. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isArxivId, normalizeArxivId } from '../../../domain/arxiv-id.ts';
import { paperAuthorMembers } from '../../../services/author-claims.ts';
import { similarPaperLinks } from '../../../services/similar-papers.ts';
import { renderPaperPage } from '../../views/paper-page.ts';
import { savedTags } from '../member-state.ts';
import { rawPaperParam } from '../register-routes.ts';
import { HTML, notFound } from '../responses.ts';
import type { Site } from '../site.ts';
import { upvotedSet } from './list-page.ts';

const SIMILAR_PAPERS = 6;

export async function showPaper(request: FastifyRequest, reply: FastifyReply, site: Site) {
  const { store, config, semantic } = site;
  const raw = rawPaperParam(request);
  if (!isArxivId(raw)) return notFound(reply, request, config, `There is no paper “${raw}”.`);
  const id = normalizeArxivId(raw);
  if (id !== raw) return reply.redirect(`/papers/${id}`, 301);
  const paper = await store.papers.getPaper(id);
  const admin = request.member?.role === 'admin';
  if (!paper || (paper.hidden && !admin)) {
    return notFound(
      reply,
      request,
      config,
      `No paper with id ${id} on this site yet. Members can submit it.`,
    );
  }
  const submitter = paper.daily?.submittedBy?.user;
  const [comments, upvoted, similar, authorMembers, submitterMember, saved] = await Promise.all([
    store.engagement.listComments(id, { includeHidden: admin }),
    upvotedSet(store, request, [paper]),
    similarPaperLinks({ store, semantic }, id, SIMILAR_PAPERS),
    paperAuthorMembers(store, paper),
    submitter ? store.people.memberByUsername(submitter) : null,
    savedTags(store, request, [paper]),
  ]);
  return reply.type(HTML).send(
    renderPaperPage(site.pageContext(request), {
      paper,
      comments,
      upvoted: upvoted.has(id),
      similar,
      authorMembers,
      submitterIsMember: submitterMember !== null,
      savedTags: saved.get(id),
    }),
  );
}
