import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isArxivId, normalizeArxivId } from '../../domain/arxiv-id.ts';
import { parseIsoWeek, parseMonth } from '../../domain/dates.ts';
import type { Paper } from '../../domain/paper.ts';
import { SearchQueryError } from '../../domain/search-query.ts';
import { FormError } from '../../services/accounts.ts';
import { searchPapers, similarPapers } from '../../services/search-papers.ts';
import { submitPaper } from '../../services/submit-paper.ts';
import { listTrending } from '../../services/trending.ts';
import type { DayRange, PaperFilter } from '../../store/papers.ts';
import { requireVerifiedMember } from '../routes/actions.ts';
import type { WebDeps } from '../routes/deps.ts';
import { enforceRateLimit } from '../routes/rate-limit.ts';
import { toHfDailyEntry } from './hf-entry.ts';
import { openApiDocument, renderApiDocsPage } from './openapi.ts';
import {
  ApiParameterError,
  dailyPapersQuery,
  parseParams,
  searchQuery,
  similarQuery,
  submitBody,
} from './params.ts';

function windowOf(query: { date?: string; week?: string; month?: string }): DayRange | undefined {
  if (query.date) return { fromDay: query.date, toDay: query.date };
  if (query.week) return parseIsoWeek(query.week) ?? undefined;
  if (query.month) return parseMonth(query.month) ?? undefined;
  return undefined;
}

/** The URL of the next page, for the `Link` header, when there is one. */
function nextPageLink(
  request: FastifyRequest,
  baseUrl: string,
  page: number,
  limit: number,
  total: number,
): string | null {
  if ((page + 1) * limit >= total) return null;
  const url = new URL(request.url, baseUrl);
  url.searchParams.set('p', String(page + 1));
  url.searchParams.set('limit', String(limit));
  return `<${baseUrl}${url.pathname}${url.search}>; rel="next"`;
}

export function registerApiRoutes(
  app: FastifyInstance,
  { store, config, fetchPaper, semantic }: WebDeps,
): void {
  const entries = (papers: Paper[]) => papers.map((paper) => toHfDailyEntry(paper, config.baseUrl));

  app.get('/api/daily_papers', async (request, reply) => {
    const query = parseParams(dailyPapersQuery, request.query);
    const offset = query.p * query.limit;
    let result: { papers: Paper[]; total: number };
    if (query.sort === 'trending') {
      result = await listTrending(store, { limit: query.limit, offset });
    } else {
      const filter: PaperFilter = {
        ...(windowOf(query) && { days: windowOf(query) }),
        ...(query.submitter && { submitter: query.submitter }),
      };
      const [papers, total] = await Promise.all([
        store.papers.listPapers(filter, { sort: 'newest', limit: query.limit, offset }),
        store.papers.countPapers(filter),
      ]);
      result = { papers, total };
    }
    const link = nextPageLink(request, config.baseUrl, query.p, query.limit, result.total);
    if (link) reply.header('link', link);
    reply.header('x-total-count', String(result.total));
    return entries(result.papers);
  });

  app.get('/api/papers/search', async (request, reply) => {
    const query = parseParams(searchQuery, request.query);
    if (!query.q) {
      const [papers, total] = await Promise.all([
        store.papers.listPapers({}, { sort: 'newest', limit: query.limit, offset: query.p * query.limit }),
        store.papers.countPapers({}),
      ]);
      reply.header('x-total-count', String(total));
      return entries(papers);
    }
    try {
      const { hits, total, totalExact } = await searchPapers({ store, semantic }, query.q, {
        limit: query.limit,
        offset: query.p * query.limit,
        sort: query.sort,
        boost: query.boost === 'true',
        mode: query.mode,
        fusion:
          query.meaning_weight === undefined ? config.search.fusion : { meaningWeight: query.meaning_weight },
      });
      reply.header('x-total-count', String(total));
      // The count stops at a bound: more papers match than x-total-count says.
      if (!totalExact) reply.header('x-total-count-exact', 'false');
      return entries(hits.map((hit) => hit.paper));
    } catch (error) {
      if (error instanceof SearchQueryError) throw new ApiParameterError('q', error.message);
      throw error;
    }
  });

  app.post('/api/papers/submit', async (request, reply) => {
    const member = requireVerifiedMember(request);
    await enforceRateLimit(store, request, 'submit');
    const body = parseParams(submitBody, request.body);
    try {
      const { paperId } = await submitPaper(store, fetchPaper, member, body.paper, config.submissions);
      const paper = await store.papers.getPaper(paperId);
      return reply.code(201).send(paper && toHfDailyEntry(paper, config.baseUrl));
    } catch (error) {
      if (error instanceof FormError)
        throw new ApiParameterError('paper', error.fields.paper ?? error.message);
      throw error;
    }
  });

  app.get<{ Params: { '*': string } }>('/api/papers/*', async (request, reply) => {
    const path = request.params['*'];
    const wantsSimilar = path.endsWith('/similar');
    const raw = wantsSimilar ? path.slice(0, -'/similar'.length) : path;
    if (!isArxivId(raw)) return reply.code(404).send({ error: `“${raw}” is not an arXiv id` });
    const paper = await store.papers.getPaper(normalizeArxivId(raw));
    if (!paper || paper.hidden)
      return reply.code(404).send({ error: `paper ${normalizeArxivId(raw)} not found` });
    if (wantsSimilar) {
      const limit = parseParams(similarQuery, request.query).limit;
      return entries(await similarPapers({ store, semantic }, paper.id, limit));
    }
    const entry = toHfDailyEntry(paper, config.baseUrl);
    return { ...(entry.paper as object), numComments: paper.numComments };
  });

  app.get('/api/openapi.json', async () => openApiDocument(config.baseUrl));
  app.get('/api/docs', async (request, reply) =>
    reply.type('text/html; charset=utf-8').send(renderApiDocsPage(request, config)),
  );
}
