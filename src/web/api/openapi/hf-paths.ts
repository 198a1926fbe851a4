import { badRequest, entries, int, json, query, str } from './schema-helpers.ts';

/** The paths shaped like Hugging Face's papers API, open to anyone. */
export const HF_PATHS = {
  '/api/daily_papers': {
    get: {
      summary: 'Papers listed day by day, in the shape of Hugging Face’s daily papers API',
      parameters: [
        query('date', 'one listing day, YYYY-MM-DD (America/New_York days)', {
          type: 'string',
          format: 'date',
        }),
        query('week', 'an ISO week, YYYY-Www', { type: 'string', pattern: '^\\d{4}-W\\d{2}$' }),
        query('month', 'a month, YYYY-MM', { type: 'string', pattern: '^\\d{4}-\\d{2}$' }),
        query('submitter', 'username of who listed the papers', str),
        query('sort', 'publishedAt: newest listings first; trending: the trending list', {
          type: 'string',
          enum: ['publishedAt', 'trending'],
          default: 'publishedAt',
        }),
        query('p', 'page, from 0', { type: 'integer', minimum: 0, default: 0 }),
        query('limit', 'papers per page; more than 100 is served as 100, as Hugging Face does', {
          type: 'integer',
          minimum: 1,
          default: 50,
        }),
      ],
      responses: {
        '200': {
          ...entries,
          headers: {
            Link: { description: 'rel="next": the next page, when there is one', schema: str },
            'X-Total-Count': { description: 'papers in all pages', schema: int },
          },
        },
        '400': badRequest,
      },
    },
  },
  '/api/papers/{id}': {
    get: {
      summary: 'One paper',
      parameters: [{ name: 'id', in: 'path', required: true, schema: str }],
      responses: {
        '200': json({ $ref: '#/components/schemas/Paper' }, 'the paper'),
        '404': json({ $ref: '#/components/schemas/Error' }, 'no such paper here'),
      },
    },
  },
  '/api/papers/search': {
    get: {
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
      parameters: [
        query('q', 'words to look for, or an arXiv id; absent or blank: the most recent papers', {
          type: 'string',
          maxLength: 500,
        }),
        query('limit', 'results per page; more than 120 is served as 120, as Hugging Face does', {
          type: 'integer',
          minimum: 1,
          default: 120,
        }),
        query('p', 'page, from 0', { type: 'integer', minimum: 0, default: 0 }),
        query('sort', 'relevance (fused words and meaning), newest or upvotes (over every match)', {
          type: 'string',
          enum: ['relevance', 'newest', 'upvotes'],
          default: 'relevance',
        }),
        query('boost', 'relevance only: nudge recent and upvoted papers up', {
          type: 'string',
          enum: ['true', 'false'],
          default: 'true',
        }),
        query('mode', 'which side finds papers: both, words only, or meaning only', {
          type: 'string',
          enum: ['hybrid', 'keyword', 'semantic'],
          default: 'hybrid',
        }),
        query(
          'meaning_weight',
          'weight of meaning beside words (1) in relevance order, for a query of 8 words or more; shorter queries get less, identifiers none. Default: the site’s SEARCH_MEANING_WEIGHT',
          { type: 'number', minimum: 0, maximum: 4 },
        ),
      ],
      responses: { '200': entries, '400': badRequest },
    },
  },
  '/api/arxiv/{id}/repos': {
    get: {
      summary: 'Code linked to a paper, in the shape of Hugging Face’s linked repositories',
      description:
        'The GitHub repository and project page when known; models, datasets and Spaces are always empty here.',
      parameters: [{ name: 'id', in: 'path', required: true, schema: str }],
      responses: {
        '200': json(
          {
            type: 'object',
            required: ['models', 'datasets', 'spaces'],
            properties: {
              models: { type: 'array', items: { type: 'object' }, maxItems: 0 },
              datasets: { type: 'array', items: { type: 'object' }, maxItems: 0 },
              spaces: { type: 'array', items: { type: 'object' }, maxItems: 0 },
              githubRepo: { type: 'string', format: 'uri' },
              projectPage: { type: 'string', format: 'uri' },
            },
          },
          'the linked repositories',
        ),
        '404': json({ $ref: '#/components/schemas/Error' }, 'no such paper here'),
      },
    },
  },
} as const;
