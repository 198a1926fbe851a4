/** `GET /api/daily_papers`: Hugging Face's daily papers list, with our filters and paging. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { parseIsoWeek, parseMonth } from '../../../domain/dates.ts';
import type { Paper } from '../../../domain/paper.ts';
import { paperListPage } from '../../../services/paper-list-page.ts';
import { listTrending } from '../../../services/trending.ts';
import type { DayRange, PaperFilter } from '../../../store/papers.ts';
import { jsonBytes } from '../../api/json-bytes.ts';
import type { dailyPapersQuery, WithQuery } from '../../api/params.ts';
import type { Site } from '../site.ts';
import { hfEntries } from './entries.ts';

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

export async function dailyPapers(
  request: WithQuery<typeof dailyPapersQuery>,
  reply: FastifyReply,
  { store, config, responseCache }: Site,
) {
  const query = request.query;
  const offset = query.p * query.limit;
  // The same for everyone until the data changes: cached like the pages.
  const response = await responseCache.response(request, async () => {
    let result: { papers: Paper[]; total: number };
    if (query.sort === 'trending') {
      result = await listTrending(store, { limit: query.limit, offset });
    } else {
      const filter: PaperFilter = {
        ...(windowOf(query) && { days: windowOf(query) }),
        ...(query.submitter && { submitter: query.submitter }),
      };
      result = await paperListPage(store.papers, filter, { sort: 'newest', limit: query.limit, offset });
    }
    const link = nextPageLink(request, config.baseUrl, query.p, query.limit, result.total);
    return {
      body: jsonBytes(await hfEntries(store.papers, result.papers, config.baseUrl)),
      headers: { ...(link && { link }), 'x-total-count': String(result.total) },
    };
  });
  return reply.headers(response.headers).type('application/json; charset=utf-8').send(response.body);
}
