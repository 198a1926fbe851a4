import { BEARER_OR_SESSION, MEMBER_AUTH, unauthorized } from './member-auth.ts';
import { badRequest, int, json, nullableObject, str } from './schema-helpers.ts';

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

/** The paths a member acts on papers by: submit, upvote, and who the request is made as. */
export const MEMBER_PATHS = {
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
} as const;
