/** `GET /library`: the member's saved papers, by tag, a page at a time. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Member } from '../../../domain/member.ts';
import { readTag } from '../../../services/library.ts';
import { renderLibraryPage } from '../../views/library-page.ts';
import { memberOf } from '../guards.ts';
import { pageNumber, upvotedSet } from '../papers/list-page.ts';
import type { PersonalForm } from '../personal-forms.ts';
import { HTML } from '../responses.ts';
import type { Site } from '../site.ts';

const LIBRARY_PAGE = 50;

/** The library page; with `form`, the collection form sent back with its problems. */
export async function renderLibrary(
  request: FastifyRequest,
  site: Site,
  member: Member,
  tag: string | null,
  form?: { values: PersonalForm; errors: Record<string, string> },
) {
  const { store } = site;
  const page = pageNumber(request);
  const filter = tag === null ? {} : { tag };
  const [tags, saves, total] = await Promise.all([
    store.library.tags(member.id),
    store.library.list(member.id, { ...filter, limit: LIBRARY_PAGE, offset: page * LIBRARY_PAGE }),
    store.library.countSaves(member.id, tag ?? undefined),
  ]);
  const papers = await store.papers.getPapers(saves.map((save) => save.paperId));
  return renderLibraryPage(site.pageContext(request), {
    tags,
    tag,
    papers,
    saved: new Map(saves.map((save) => [save.paperId, save.tags])),
    upvoted: await upvotedSet(store, request, papers),
    total,
    page,
    totalPages: Math.ceil(total / LIBRARY_PAGE),
    ...(form && { form: { values: form.values as Record<string, string>, errors: form.errors } }),
  });
}

export async function libraryPage(
  request: FastifyRequest<{ Querystring: Record<string, unknown> }>,
  reply: FastifyReply,
  site: Site,
) {
  const tag = request.query.tag === undefined ? null : readTag(request.query.tag);
  return reply.type(HTML).send(await renderLibrary(request, site, memberOf(request), tag));
}
