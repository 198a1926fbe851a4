import { BEARER_OR_SESSION, MEMBER_AUTH, memberErrors } from './member-auth.ts';
import { body, int, json, noContent, nullableObject, query, str } from './schema-helpers.ts';

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

/** The member's own things: feed, follows, library, tags and collections. */
export const PERSONAL_PATHS = {
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
