import { int, nullableObject, str } from './schema-helpers.ts';

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

/** The shared schemas the paths refer to as #/components/schemas/… */
export const COMPONENT_SCHEMAS = { Paper: paper, DailyEntry: dailyEntry, Error: error };
