/** `GET /api/papers/search?q=`: search, as Hugging Face's papers search answers. */
import type { FastifyReply } from 'fastify';
import { SearchQueryError } from '../../../../domain/search-query.ts';
import { searchPapers } from '../../../../services/search-papers.ts';
import { suggestSpelling } from '../../../../services/spelling-suggestions.ts';
import { ApiParameterError, type searchQuery, type WithQuery } from '../../../api/params.ts';
import type { Site } from '../../site.ts';
import { hfEntries } from '../entries.ts';

export async function searchApi(
  request: WithQuery<typeof searchQuery>,
  reply: FastifyReply,
  { store, config, semantic, responseCache }: Site,
) {
  const query = request.query;
  if (!query.q) {
    const [papers, total] = await Promise.all([
      store.papers.listPapers({}, { sort: 'newest', limit: query.limit, offset: query.p * query.limit }),
      store.papers.countPapers({}),
    ]);
    reply.header('x-total-count', String(total));
    return hfEntries(papers, config.baseUrl);
  }
  const text = query.q;
  const answer = async () => {
    const {
      hits,
      total,
      totalExact,
      query: parsed,
    } = await searchPapers({ store, semantic }, text, {
      limit: query.limit,
      offset: query.p * query.limit,
      sort: query.sort,
      boost: query.boost === 'true',
      mode: query.mode,
      fusion:
        query.meaning_weight === undefined ? config.search.fusion : { meaningWeight: query.meaning_weight },
    });
    const suggestion = await suggestSpelling(store, text, parsed);
    const headers: Record<string, string> = {
      'x-total-count': String(total),
      // The count stops at a bound: more papers match than x-total-count says.
      ...(!totalExact && { 'x-total-count-exact': 'false' }),
      // The body is Hugging Face's list of papers; the suggestion rides beside it, URL-encoded as a header must be.
      ...(suggestion && { 'x-did-you-mean': encodeURIComponent(suggestion) }),
    };
    const body = Buffer.from(
      JSON.stringify(
        hfEntries(
          hits.map((hit) => hit.paper),
          config.baseUrl,
        ),
      ),
    );
    return { body, headers };
  };
  try {
    // The same for everyone until the data changes, like the API's lists (not results by words alone while the
    // meaning side gets ready).
    const settled = semantic?.ready !== false && !semantic?.preparing;
    const response = settled ? await responseCache.response(request, answer) : await answer();
    return reply.headers(response.headers).type('application/json; charset=utf-8').send(response.body);
  } catch (error) {
    if (error instanceof SearchQueryError) throw new ApiParameterError('q', error.message);
    throw error;
  }
}
