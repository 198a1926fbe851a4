import type { FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import { html } from '../../text/html.ts';
import { pageContext } from '../request-context.ts';
import { renderPage } from '../views/layout.ts';

type Schema = Record<string, unknown>;

const str = { type: 'string' } as const;
const int = { type: 'integer' } as const;
const nullableObject = (properties: Schema, required: string[] = []): Schema => ({
  type: 'object',
  properties,
  required,
});

const organization = nullableObject({ _id: str, name: str, fullname: str, avatar: str }, [
  '_id',
  'name',
  'fullname',
]);
const user = nullableObject({ _id: str, name: str, fullname: str, avatarUrl: str, type: str }, [
  '_id',
  'name',
]);

const paper = nullableObject(
  {
    id: { type: 'string', description: 'arXiv id without version, e.g. 2411.12345 or hep-th/9901001' },
    title: str,
    summary: { type: 'string', description: 'the abstract' },
    authors: {
      type: 'array',
      items: nullableObject({ _id: str, name: str, hidden: { type: 'boolean' } }, ['_id', 'name', 'hidden']),
    },
    publishedAt: { type: 'string', format: 'date-time', description: 'first arXiv version' },
    submittedOnDailyAt: { type: 'string', format: 'date-time', description: 'when it was listed here' },
    submittedOnDailyBy: user,
    upvotes: int,
    discussionId: str,
    ai_summary: str,
    ai_keywords: { type: 'array', items: str },
    githubRepo: { type: 'string', format: 'uri' },
    githubStars: int,
    projectPage: { type: 'string', format: 'uri' },
    organization,
  },
  ['id', 'title', 'summary', 'authors', 'upvotes', 'discussionId'],
);

const dailyEntry = nullableObject(
  {
    paper: { $ref: '#/components/schemas/Paper' },
    publishedAt: { type: 'string', format: 'date-time' },
    title: str,
    summary: str,
    thumbnail: { type: 'string', format: 'uri' },
    mediaUrls: { type: 'array', items: str },
    numComments: { ...int, description: "comments on this site (Hugging Face's own count is not included)" },
    submittedBy: user,
    organization,
    isAuthorParticipating: { type: 'boolean' },
  },
  ['paper', 'title', 'summary', 'mediaUrls', 'numComments', 'isAuthorParticipating'],
);

const error = nullableObject(
  { error: { type: 'string', description: 'which parameter is wrong, and why' } },
  ['error'],
);

const query = (name: string, description: string, schema: Schema) => ({
  name,
  in: 'query',
  description,
  schema,
});
const json = (schema: Schema, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
const entries = json({ type: 'array', items: { $ref: '#/components/schemas/DailyEntry' } }, 'the papers');
const badRequest = json({ $ref: '#/components/schemas/Error' }, 'a parameter is missing or wrong');

const MEMBER_AUTH =
  'Send a personal API token from your account page as `Authorization: Bearer dp_…` (no cookie, no CSRF token), or use the session cookie with the CSRF token (cookie dp_csrf, echoed in the X-CSRF-Token header). Rate limits count per member, however the request authenticates.';
const BEARER_OR_SESSION = [{ bearerToken: [] }, { sessionCookie: [] }];
const unauthorized = {
  ...json({ $ref: '#/components/schemas/Error' }, 'no member: the token is missing, malformed or revoked'),
  headers: { 'WWW-Authenticate': { schema: { type: 'string' }, description: 'Bearer realm="Dailypapers"' } },
};
const paperIdParameter = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'arXiv id, e.g. 2411.12345',
  schema: str,
};
const me = nullableObject(
  {
    type: { type: 'string', enum: ['user'] },
    name: { type: 'string', description: 'username' },
    email: str,
    emailVerified: { type: 'boolean' },
    role: { type: 'string', enum: ['member', 'admin'] },
    createdAt: { type: 'string', format: 'date-time' },
    authorOf: { type: 'array', items: str, description: 'author pages an admin approved as theirs' },
  },
  ['type', 'name', 'role', 'authorOf'],
);
const upvoteResponses = {
  '200': json(
    nullableObject({ upvotes: int, upvoted: { type: 'boolean' } }, ['upvotes', 'upvoted']),
    'the paper’s new count, and whether the member upvotes it now',
  ),
  '401': unauthorized,
  '403': json(
    { $ref: '#/components/schemas/Error' },
    'email not confirmed, or (with a session) no CSRF token',
  ),
  '404': json({ $ref: '#/components/schemas/Error' }, 'no such paper here, or it is hidden'),
  '429': json({ $ref: '#/components/schemas/Error' }, 'too many upvotes; see Retry-After'),
};
const memberErrors = {
  '400': badRequest,
  '401': json({ $ref: '#/components/schemas/Error' }, 'not logged in'),
  '403': json({ $ref: '#/components/schemas/Error' }, 'CSRF token missing or wrong'),
};
const body = (properties: Schema, required: string[]) => ({
  required: true,
  content: { 'application/json': { schema: nullableObject(properties, required) } },
});
const follow = nullableObject(
  {
    id: int,
    kind: { type: 'string', enum: ['author', 'organization', 'topic'] },
    target: {
      type: 'string',
      description: 'author name, organization handle, or the search query of a topic',
    },
    label: str,
    createdAt: { type: 'string', format: 'date-time' },
  },
  ['id', 'kind', 'target', 'label', 'createdAt'],
);
const collection = nullableObject(
  {
    owner: str,
    tag: str,
    slug: str,
    title: str,
    description: str,
    visibility: { type: 'string', enum: ['public', 'private'] },
    url: { type: 'string', format: 'uri' },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
  ['owner', 'tag', 'slug', 'title', 'visibility', 'url'],
);
const reason = {
  type: 'object',
  description:
    'why the paper is listed: kind similar (paperId, title, signal upvote|save), author (name), organization (name), topic (label) or popular',
  properties: { kind: { type: 'string', enum: ['similar', 'author', 'organization', 'topic', 'popular'] } },
  required: ['kind'],
};
const savedPaper = nullableObject(
  {
    paperId: str,
    tags: { type: 'array', items: str },
    savedAt: { type: 'string', format: 'date-time' },
  },
  ['paperId', 'tags', 'savedAt'],
);
const paperIdBody = body({ paperId: str }, ['paperId']);
const noContent = { description: 'done' };

const PERSONAL_PATHS = {
  '/api/me/feed': {
    get: {
      summary:
        'Your “For you” list: recent papers ranked by your upvotes, saves, follows and “not interested”',
      description: MEMBER_AUTH,
      security: BEARER_OR_SESSION,
      parameters: [
        query('limit', 'papers, at most 100', { type: 'integer', minimum: 1, maximum: 100, default: 50 }),
        query('tag', '“More like this tag”: rank by the saves with this tag only', str),
      ],
      responses: {
        '200': json(
          {
            type: 'object',
            properties: {
              coldStart: { type: 'boolean', description: 'no signal yet: the most upvoted papers' },
              papers: {
                type: 'array',
                items: {
                  allOf: [
                    { $ref: '#/components/schemas/DailyEntry' },
                    {
                      type: 'object',
                      properties: { score: { type: 'number' }, reasons: { type: 'array', items: reason } },
                    },
                  ],
                },
              },
            },
          },
          'your list',
        ),
        ...memberErrors,
      },
    },
  },
  '/api/me/follows': {
    get: {
      summary: 'What you follow',
      description: MEMBER_AUTH,
      security: BEARER_OR_SESSION,
      responses: { '200': json({ type: 'array', items: follow }, 'your follows'), ...memberErrors },
    },
    post: {
      summary: 'Follow an author, an organization or a topic (a search in the query language)',
      description: `${MEMBER_AUTH} Following again answers 200 with the follow already there.`,
      security: BEARER_OR_SESSION,
      requestBody: body(
        { kind: { type: 'string', enum: ['author', 'organization', 'topic'] }, target: str, label: str },
        ['kind', 'target'],
      ),
      responses: {
        '201': json(follow, 'followed'),
        '200': json(follow, 'already followed'),
        ...memberErrors,
      },
    },
  },
  '/api/me/follows/{id}/delete': {
    post: {
      summary: 'Unfollow',
      description: MEMBER_AUTH,
      security: BEARER_OR_SESSION,
      parameters: [{ name: 'id', in: 'path', required: true, schema: int }],
      responses: {
        '204': noContent,
        '404': json({ $ref: '#/components/schemas/Error' }, 'no such follow'),
        ...memberErrors,
      },
    },
  },
  '/api/me/library': {
    get: {
      summary: 'Your saved papers, newest first',
      description: MEMBER_AUTH,
      security: BEARER_OR_SESSION,
      parameters: [
        query('tag', 'only the papers with this tag', str),
        query('p', 'page, from 0', { type: 'integer', minimum: 0, default: 0 }),
        query('limit', 'per page, at most 100', { type: 'integer', minimum: 1, maximum: 100, default: 50 }),
      ],
      responses: {
        '200': json({ type: 'array', items: savedPaper }, 'saves, each with its paper'),
        ...memberErrors,
      },
    },
    post: {
      summary: 'Save a paper with tags (added to the ones it has)',
      description: `${MEMBER_AUTH} Tags: a list, or text separated by commas; at most 10, each at most 40 characters. None: “saved”.`,
      security: BEARER_OR_SESSION,
      requestBody: body({ paperId: str, tags: { type: 'array', items: str } }, ['paperId']),
      responses: {
        '201': json(savedPaper, 'the save'),
        '404': json({ $ref: '#/components/schemas/Error' }, 'no such paper'),
        ...memberErrors,
      },
    },
  },
  '/api/me/library/untag': {
    post: {
      summary: 'Take a tag off a saved paper (its last tag removes the save)',
      description: MEMBER_AUTH,
      security: BEARER_OR_SESSION,
      requestBody: body({ paperId: str, tag: str }, ['paperId', 'tag']),
      responses: { '204': noContent, ...memberErrors },
    },
  },
  '/api/me/library/remove': {
    post: {
      summary: 'Remove a saved paper',
      description: MEMBER_AUTH,
      security: BEARER_OR_SESSION,
      requestBody: paperIdBody,
      responses: { '204': noContent, ...memberErrors },
    },
  },
  '/api/me/not-interested': {
    post: {
      summary: 'Mark a paper “not interested” (undo: true takes the mark back)',
      description: MEMBER_AUTH,
      security: BEARER_OR_SESSION,
      requestBody: body({ paperId: str, undo: { type: 'boolean' } }, ['paperId']),
      responses: { '204': noContent, ...memberErrors },
    },
  },
  '/api/me/tags': {
    get: {
      summary: 'Your tags with their paper counts and collections',
      description: MEMBER_AUTH,
      security: BEARER_OR_SESSION,
      responses: {
        '200': json(
          { type: 'array', items: nullableObject({ tag: str, papers: int, collection }) },
          'your tags',
        ),
        ...memberErrors,
      },
    },
  },
  '/api/me/collections': {
    get: {
      summary: 'Your collections, public and private',
      description: MEMBER_AUTH,
      security: BEARER_OR_SESSION,
      responses: { '200': json({ type: 'array', items: collection }, 'your collections'), ...memberErrors },
    },
    post: {
      summary: 'Publish a tag as a collection, edit it, or make it private',
      description: `${MEMBER_AUTH} The slug defaults to one made from the tag, the title to the tag.`,
      security: BEARER_OR_SESSION,
      requestBody: body(
        {
          tag: str,
          slug: str,
          title: str,
          description: str,
          visibility: { type: 'string', enum: ['public', 'private'] },
        },
        ['tag', 'visibility'],
      ),
      responses: { '200': json(collection, 'the collection'), ...memberErrors },
    },
  },
} as const;

const PATHS = {
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
        'x-total-count-exact is false.',
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
  '/api/papers/submit': {
    post: {
      summary: 'List a paper from arXiv on today’s page, as the logged-in member',
      description:
        'Needs the session cookie and the CSRF token (cookie dp_csrf, echoed in the X-CSRF-Token header). At most a few submissions a day per member, only recent papers, no duplicates.',
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: nullableObject({ paper: { type: 'string', description: 'arXiv id or URL' } }, ['paper']),
          },
        },
      },
      responses: {
        '201': json({ $ref: '#/components/schemas/DailyEntry' }, 'the listed paper'),
        '400': badRequest,
        '401': json({ $ref: '#/components/schemas/Error' }, 'not logged in'),
        '403': json({ $ref: '#/components/schemas/Error' }, 'CSRF token missing or wrong'),
        '429': json({ $ref: '#/components/schemas/Error' }, 'too many submissions; see Retry-After'),
      },
    },
  },
  '/api/me': {
    get: {
      summary: 'The member the request is made as',
      description: MEMBER_AUTH,
      security: BEARER_OR_SESSION,
      responses: {
        '200': json(me, 'the member'),
        '401': unauthorized,
      },
    },
  },
  '/api/papers/{id}/upvote': {
    post: {
      summary: 'Upvote a paper (again is harmless)',
      description: MEMBER_AUTH,
      security: BEARER_OR_SESSION,
      parameters: [paperIdParameter],
      responses: upvoteResponses,
    },
    delete: {
      summary: 'Take back an upvote (when there is none, nothing changes)',
      description: MEMBER_AUTH,
      security: BEARER_OR_SESSION,
      parameters: [paperIdParameter],
      responses: upvoteResponses,
    },
  },
  ...PERSONAL_PATHS,
} as const;

export function openApiDocument(baseUrl: string) {
  return {
    openapi: '3.0.3',
    info: {
      title: 'Dailypapers API',
      version: '1',
      description:
        'Compatible with Hugging Face’s papers API: code written against https://huggingface.co/api works here by changing the base URL.',
    },
    servers: [{ url: baseUrl }],
    paths: PATHS,
    components: {
      schemas: { Paper: paper, DailyEntry: dailyEntry, Error: error },
      securitySchemes: {
        bearerToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'A personal API token, created and revoked on your account page (/account).',
        },
        sessionCookie: { type: 'apiKey', in: 'cookie', name: 'dp_session' },
      },
    },
  };
}

export function renderApiDocsPage(request: FastifyRequest, config: Config): string {
  const operations = Object.entries(PATHS).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ path, method, operation: operation as Schema })),
  );
  const body = html`<article class="prose">
    <h1>API</h1>
    <p>The JSON API speaks the field names of Hugging Face’s papers API, so existing clients work by changing the base URL. The full description is at <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3). Bad parameters get a 400 with <code>{"error": "parameter: reason"}</code>.</p>
    ${operations.map(({ path, method, operation }) => {
      const parameters =
        (operation.parameters as { name: string; in: string; description?: string }[] | undefined) ?? [];
      return html`<section class="api-operation">
        <h2><span class="api-method">${method.toUpperCase()}</span> <code>${path}</code></h2>
        <p>${String(operation.summary)}</p>
        ${operation.description ? html`<p>${String(operation.description)}</p>` : ''}
        ${
          parameters.length > 0
            ? html`<dl class="api-parameters">${parameters.map(
                (parameter) =>
                  html`<dt><code>${parameter.name}</code> <small>${parameter.in}</small></dt><dd>${parameter.description ?? ''}</dd>`,
              )}</dl>`
            : ''
        }
      </section>`;
    })}
    <h2>Example</h2>
    <pre><code>curl '${config.baseUrl}/api/daily_papers?date=2026-11-24&amp;limit=5'</code></pre>
    <h2>As a member</h2>
    <p>Create a personal API token on <a href="/account">your account page</a> and send it as a bearer token:</p>
    <pre><code>curl -X POST -H 'Authorization: Bearer dp_…' '${config.baseUrl}/api/papers/2411.12345/upvote'</code></pre>
  </article>`;
  return renderPage(pageContext(request, config.baseUrl), {
    title: 'API',
    description: 'The Dailypapers JSON API',
    body,
  });
}
