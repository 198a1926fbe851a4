/** The routes shaped like Hugging Face's papers API, open to anyone. */
import { z } from 'zod';
import { dailyPapersQuery, searchQuery, similarQuery } from '../params.ts';
import {
  dailyEntriesSchema,
  failure,
  json,
  paperWithCommentsSchema,
  reposSchema,
} from '../schemas/entities.ts';
import { type ApiRouteSchema, type ResponseDoc, TAGS } from './route-schema.ts';

/** The `:paper` of a route, as the description names it. */
export const paperIdParams = z.object({
  id: z.string().describe('arXiv id, e.g. 2411.12345 (an old-style id keeps its slash: hep-th/9901001)'),
});

const totalCount = {
  description: 'papers in all pages',
  type: 'integer',
};
const noSuchPaper = failure('no such paper here');
const badParameter = failure('a parameter is wrong: the error names it');

/** A page of papers found by a query: the entries with their paging headers, or the 400 naming a bad parameter. */
function papersPage(
  route: Pick<ApiRouteSchema, 'operationId' | 'summary' | 'description' | 'querystring'>,
  found: string,
  headers: ResponseDoc['headers'],
): ApiRouteSchema {
  return {
    ...route,
    tags: [TAGS.papers],
    response: { 200: { ...json(dailyEntriesSchema, found), headers }, 400: badParameter },
  };
}

export const dailyPapersRoute = papersPage(
  {
    operationId: 'listDailyPapers',
    summary: 'Papers listed day by day, in the shape of Hugging Face’s daily papers API',
    querystring: dailyPapersQuery,
  },
  'the papers',
  {
    Link: { description: 'rel="next": the next page, when there is one', type: 'string' },
    'X-Total-Count': totalCount,
  },
);

export const searchRoute = papersPage(
  {
    operationId: 'searchPapers',
    summary: 'Search titles, abstracts and authors by words and by meaning',
    description: [
      'Matches by words: a query of two to four words matches the papers having all of them (when none has,',
      'those having any); a longer one the papers having any of its informative words (in at most 30 % of the',
      'papers). Matches by meaning: the 200 papers nearest the query in meaning, when the site has a model. Both',
      'pass the filters: "exact phrase", -word, author:, org:, cat: (arXiv categories; papers known only from',
      'Hugging Face may have none), after:DATE and before:DATE (listing day, else arXiv day; both bounds',
      'inclusive; a month or year is its first day for after: and its last day for before:).',
      'The header x-total-count is the number of matches, exact up to 10,000; beyond, it is 10,000 and',
      'x-total-count-exact is false. When a word of the query is in fewer than 3 papers and a word one or two',
      'letters away is in more, the header x-did-you-mean holds the corrected query (URL-encoded), as the',
      'search page offers it.',
    ].join(' '),
    querystring: searchQuery,
  },
  'the papers found, best first',
  {
    'X-Total-Count': { description: 'matches, exact up to 10,000', type: 'integer' },
    'X-Total-Count-Exact': {
      description: 'false when more papers match than X-Total-Count says',
      type: 'string',
      enum: ['false'],
    },
  },
);

export const paperRoute: ApiRouteSchema = {
  operationId: 'getPaper',
  summary: 'One paper',
  tags: [TAGS.papers],
  params: paperIdParams,
  response: { 200: json(paperWithCommentsSchema, 'the paper'), 404: noSuchPaper },
};

export const similarRoute: ApiRouteSchema = {
  operationId: 'listSimilarPapers',
  summary: 'The papers nearest a paper in meaning (none until the site has an embedding model)',
  tags: [TAGS.papers],
  params: paperIdParams,
  querystring: similarQuery,
  response: {
    200: json(dailyEntriesSchema, 'the nearest papers first'),
    400: badParameter,
    404: noSuchPaper,
  },
};

export const reposRoute: ApiRouteSchema = {
  operationId: 'getPaperRepos',
  summary: 'Code linked to a paper, in the shape of Hugging Face’s linked repositories',
  description:
    'The GitHub repository and project page when known; models, datasets and Spaces are always empty here.',
  tags: [TAGS.papers],
  params: paperIdParams,
  response: { 200: json(reposSchema, 'the linked repositories'), 404: noSuchPaper },
};
