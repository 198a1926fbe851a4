/** `GET /api/me/library` and `POST /api/me/library(/untag|/remove)`: the member's saved papers. */
import type { FastifyReply } from 'fastify';
import { savePaper, unsavePaper, untagPaper } from '../../../../services/library.ts';
import type { WithBody, WithQuery } from '../../../api/params.ts';
import type { libraryQuery, paperBody, saveBody, untagBody } from '../../../api/personal-params.ts';
import { memberOf } from '../../guards.ts';
import type { Site } from '../../site.ts';
import { hfEntries } from '../entries.ts';
import { asParameterError, taggedListRequest } from './parameter-error.ts';

export async function libraryApi(
  request: WithQuery<typeof libraryQuery>,
  reply: FastifyReply,
  { store, config }: Site,
) {
  const { member, query, tag } = await taggedListRequest(request);
  const [saves, total] = await Promise.all([
    store.library.list(member.id, { ...(tag && { tag }), limit: query.limit, offset: query.p * query.limit }),
    store.library.countSaves(member.id, tag),
  ]);
  const papers = await store.papers.getPapers(saves.map((save) => save.paperId));
  const entries = await hfEntries(store.papers, papers, config.baseUrl);
  const entryOf = new Map(papers.map((paper, index) => [paper.id, entries[index]?.paper]));
  reply.header('x-total-count', String(total));
  return saves.map((save) => ({ ...save, paper: entryOf.get(save.paperId) ?? null }));
}

export async function saveApi(request: WithBody<typeof saveBody>, reply: FastifyReply, site: Site) {
  const member = memberOf(request);
  const body = request.body;
  const saved = await asParameterError(() => savePaper(site.store, member, body.paperId, body.tags));
  return reply.code(201).send(saved);
}

export async function untagApi(request: WithBody<typeof untagBody>, reply: FastifyReply, site: Site) {
  const body = request.body;
  await asParameterError(() => untagPaper(site.store, memberOf(request), body.paperId, body.tag));
  return reply.code(204).send();
}

export async function unsaveApi(request: WithBody<typeof paperBody>, reply: FastifyReply, site: Site) {
  const body = request.body;
  await unsavePaper(site.store, memberOf(request), body.paperId);
  return reply.code(204).send();
}
