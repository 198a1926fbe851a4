import type { FastifyInstance } from 'fastify';
import { SearchQueryError } from '../../domain/search-query.ts';
import { searchPapers } from '../../services/search-papers.ts';
import { pageContext } from '../request-context.ts';
import { renderSearchPage } from '../views/search-page.ts';
import type { WebDeps } from './deps.ts';
import { pageNumber, upvotedSet } from './pages.ts';
import { HTML } from './responses.ts';

const PER_PAGE = 20;

export function registerSearchRoutes(app: FastifyInstance, { store, config }: WebDeps): void {
  app.get<{ Querystring: { q?: unknown } }>('/search', async (request, reply) => {
    const query = typeof request.query.q === 'string' ? request.query.q.trim() : '';
    const page = pageNumber(request);
    const context = pageContext(request, config.baseUrl);
    const nothing = { query, papers: [], total: 0, upvoted: new Set<string>(), page: 0, totalPages: 0 };
    if (!query) return reply.type(HTML).send(renderSearchPage(context, nothing));
    try {
      const { papers, total } = await searchPapers(store, query, {
        limit: PER_PAGE,
        offset: page * PER_PAGE,
      });
      const upvoted = await upvotedSet(store, request, papers);
      return reply.type(HTML).send(
        renderSearchPage(context, {
          query,
          papers,
          total,
          upvoted,
          page,
          totalPages: Math.ceil(total / PER_PAGE),
        }),
      );
    } catch (error) {
      if (!(error instanceof SearchQueryError)) throw error;
      return reply
        .code(400)
        .type(HTML)
        .send(renderSearchPage(context, { ...nothing, problem: error.message }));
    }
  });
}
