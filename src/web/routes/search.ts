/** `/search`: the search page, by words and meaning. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SearchQueryError } from '../../domain/search-query.ts';
import { type SearchSort, searchPapers } from '../../services/search-papers.ts';
import { suggestSpelling } from '../../services/spelling-suggestions.ts';
import { renderSearchPage, type SearchPageData } from '../views/search-page.ts';
import { savedTags } from './member-state.ts';
import { pageNumber, upvotedSet } from './papers/list-page.ts';
import { HTML, sendPage } from './responses.ts';
import type { Site } from './site.ts';

const PER_PAGE = 20;
const SORTS: SearchSort[] = ['relevance', 'newest', 'upvotes'];

export async function search(
  request: FastifyRequest<{ Querystring: Record<string, unknown> }>,
  reply: FastifyReply,
  site: Site,
) {
  const { store, semantic } = site;
  const text = typeof request.query.q === 'string' ? request.query.q.trim() : '';
  const sort = SORTS.find((value) => value === request.query.sort) ?? 'relevance';
  const boost = request.query.boost !== 'off';
  const page = pageNumber(request);
  const context = site.pageContext(request);
  const base: SearchPageData = {
    text,
    query: null,
    hits: [],
    total: 0,
    upvoted: new Set(),
    page: 0,
    totalPages: 0,
    sort,
    boost,
    semanticAvailable: semantic !== null && semantic.ready !== false,
    semanticPreparing: semantic?.preparing === true,
  };
  if (!text) return reply.type(HTML).send(renderSearchPage(context, base));
  try {
    const results = await searchPapers({ store, semantic, cache: site.searchResults }, text, {
      limit: PER_PAGE,
      offset: page * PER_PAGE,
      sort,
      boost,
      fusion: site.config.search.fusion,
    });
    if (results.query.paperId && results.hits.length === 1 && page === 0) {
      return reply.redirect(`/papers/${results.query.paperId}`);
    }
    const upvoted = await upvotedSet(
      store,
      request,
      results.hits.map((hit) => hit.paper),
    );
    return reply.type(HTML).send(
      renderSearchPage(context, {
        ...base,
        query: results.query,
        hits: results.hits,
        total: results.total,
        totalExact: results.totalExact,
        upvoted,
        saved: await savedTags(
          store,
          request,
          results.hits.map((hit) => hit.paper),
        ),
        followed: request.member ? await store.follows.find(request.member.id, 'topic', text) : null,
        suggestion: await suggestSpelling(store, text, results.query),
        page,
        totalPages: Math.ceil(results.total / PER_PAGE),
      }),
    );
  } catch (error) {
    if (!(error instanceof SearchQueryError)) throw error;
    return sendPage(reply, 400, renderSearchPage(context, { ...base, problem: error.message }));
  }
}
