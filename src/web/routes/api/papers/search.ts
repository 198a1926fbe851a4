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
  { store, config, semantic, searchResults }: Site,
) {
  const query = request.query;
  if (!query.q) {
    const [papers, total] = await Promise.all([
      store.papers.listPapers({}, { sort: 'newest', limit: query.limit, offset: query.p * query.limit }),
      store.papers.countPapers({}),
    ]);
    reply.header('x-total-count', String(total));
    return hfEntries(store.papers, papers, config.baseUrl);
  }
  try {
    const {
      hits,
      total,
      totalExact,
      query: parsed,
    } = await searchPapers({ store, semantic, cache: searchResults }, query.q, {
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
    const suggestion = await suggestSpelling(store, query.q, parsed);
    // The body is Hugging Face's list of papers; the suggestion rides beside it, URL-encoded as a header must be.
    if (suggestion) reply.header('x-did-you-mean', encodeURIComponent(suggestion));
    return hfEntries(
      store.papers,
      hits.map((hit) => hit.paper),
      config.baseUrl,
    );
  } catch (error) {
    if (error instanceof SearchQueryError) throw new ApiParameterError('q', error.message);
    throw error;
  }
}
