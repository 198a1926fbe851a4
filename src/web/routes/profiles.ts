/** `/authors/:name` and `/orgs/:name`: an author's or an organization's papers, newest first. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { authorClaimState } from '../../services/author-claims.ts';
import { paperListPage } from '../../services/paper-list-page.ts';
import { renderProfilePage } from '../views/profile-page.ts';
import { savedTags } from './member-state.ts';
import { PAGE_SIZE, pageNumber, upvotedSet } from './papers/list-page.ts';
import { HTML, notFound } from './responses.ts';
import type { Site } from './site.ts';

type ProfileRequest = FastifyRequest<{ Params: { name: string } }>;

function profile(kind: 'author' | 'organization') {
  return async (request: ProfileRequest, reply: FastifyReply, site: Site) => {
    const { store } = site;
    const name = request.params.name;
    const filter = kind === 'author' ? { author: name } : { organization: name };
    const page = pageNumber(request);
    const { papers, total } = await paperListPage(store.papers, filter, {
      sort: 'newest',
      limit: PAGE_SIZE,
      offset: page * PAGE_SIZE,
    });
    if (total === 0)
      return notFound(
        reply,
        request,
        site.config,
        `No papers ${kind === 'author' ? 'by' : 'from'} “${name}” here.`,
      );
    const organization =
      kind === 'organization' ? (papers.find((paper) => paper.organization)?.organization ?? null) : null;
    return reply.type(HTML).send(
      renderProfilePage(site.pageContext(request), {
        kind,
        name,
        organization,
        papers,
        total,
        totalUpvotes: papers.reduce((sum, paper) => sum + paper.upvotes, 0),
        upvoted: await upvotedSet(store, request, papers),
        ...(kind === 'author' && { claim: await authorClaimState(store, name, request.member) }),
        saved: await savedTags(store, request, papers),
        followed: request.member ? await store.follows.find(request.member.id, kind, name) : null,
        page,
        totalPages: Math.ceil(total / PAGE_SIZE),
      }),
    );
  };
}

export const authorProfile = profile('author');
export const organizationProfile = profile('organization');
