/**
 * What the JSON API answers with, as zod schemas: the OpenAPI description's components are generated from them
 * (a schema with an `id` becomes `#/components/schemas/<id>`). Objects are loose: Hugging Face's entries carry
 * more fields than we name, and a paper imported from it keeps them as served.
 */
import { z } from 'zod';

const dateTime = z.string().meta({ format: 'date-time' });
const link = z.string().meta({ format: 'uri' });

const account = z
  .looseObject({
    _id: z.string(),
    name: z.string(),
    fullname: z.string(),
    avatarUrl: link.optional(),
    type: z.string().optional(),
  })
  .partial({ _id: true, fullname: true });

const organization = z
  .looseObject({ _id: z.string(), name: z.string(), fullname: z.string(), avatar: link.optional() })
  .partial({ _id: true, fullname: true });

export const paperSchema = z
  .looseObject({
    id: z.string().describe('arXiv id without version, e.g. 2411.12345 or hep-th/9901001'),
    title: z.string(),
    summary: z.string().describe('the abstract'),
    authors: z.array(
      z.looseObject({ _id: z.string().optional(), name: z.string(), hidden: z.boolean().optional() }),
    ),
    publishedAt: dateTime.describe('first arXiv version').optional(),
    submittedOnDailyAt: dateTime.describe('when it was listed').optional(),
    submittedOnDailyBy: account.optional(),
    upvotes: z.number().int(),
    discussionId: z.string().optional(),
    ai_summary: z.string().optional(),
    ai_keywords: z.array(z.string()).optional(),
    githubRepo: link.optional(),
    githubStars: z.number().int().optional(),
    projectPage: link.optional(),
    organization: organization.optional(),
    mediaUrls: z.array(link).optional(),
  })
  .meta({ id: 'Paper', description: 'A paper, in the shape of Hugging Face’s papers API' });

export const dailyEntrySchema = z
  .looseObject({
    paper: paperSchema,
    publishedAt: dateTime.describe('the paper’s date, as Hugging Face means it').optional(),
    title: z.string(),
    summary: z.string().optional(),
    thumbnail: link.optional(),
    mediaUrl: link.optional(),
    mediaUrls: z.array(link).optional(),
    numComments: z
      .number()
      .int()
      .describe("comments on this site (Hugging Face's own count is not included)"),
    submittedBy: account.optional(),
    organization: organization.optional(),
    isAuthorParticipating: z.boolean().optional(),
  })
  .meta({ id: 'DailyEntry', description: 'An entry of a daily list, in the shape of Hugging Face’s' });

export const dailyEntriesSchema = z.array(dailyEntrySchema);

export const errorSchema = z
  .object({ error: z.string().describe('what is wrong: which parameter, and why') })
  .meta({ id: 'Error' });

/** A JSON answer of a route, with what it means there. */
export const json = (schema: z.ZodType, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

/** An error answer of a route, with what it means there. */
export const failure = (description: string) => json(errorSchema, description);

export const paperWithCommentsSchema = paperSchema.extend({
  numComments: z.number().int().describe('comments on this site'),
});

export const reposSchema = z.object({
  models: z.array(z.looseObject({})).max(0),
  datasets: z.array(z.looseObject({})).max(0),
  spaces: z.array(z.looseObject({})).max(0),
  githubRepo: link.optional(),
  projectPage: link.optional(),
});

export const meSchema = z.object({
  type: z.literal('user'),
  name: z.string().describe('username'),
  email: z.string(),
  emailVerified: z.boolean(),
  role: z.enum(['member', 'admin']),
  createdAt: dateTime,
  authorOf: z.array(z.string()).describe('author pages an admin approved as theirs'),
});

export const upvoteStateSchema = z.object({ upvotes: z.number().int(), upvoted: z.boolean() });

export const followSchema = z
  .object({
    id: z.number().int(),
    kind: z.enum(['author', 'organization', 'topic']),
    target: z.string().describe('author name, organization handle, or the search query of a topic'),
    label: z.string(),
    createdAt: dateTime,
  })
  .meta({ id: 'Follow' });

export const collectionSchema = z
  .looseObject({
    owner: z.string(),
    tag: z.string(),
    slug: z.string(),
    title: z.string(),
    description: z.string(),
    visibility: z.enum(['public', 'private']),
    url: link,
    createdAt: dateTime,
    updatedAt: dateTime,
  })
  .meta({ id: 'Collection' });

export const savedPaperSchema = z
  .object({ paperId: z.string(), tags: z.array(z.string()), savedAt: dateTime })
  .meta({ id: 'SavedPaper' });

export const librarySchema = z.array(savedPaperSchema.extend({ paper: paperSchema.nullable() }));

export const tagsSchema = z.array(
  z.object({ tag: z.string(), papers: z.number().int(), collection: collectionSchema.nullable() }),
);

const reason = z
  .looseObject({ kind: z.enum(['similar', 'author', 'organization', 'topic', 'popular']) })
  .describe(
    'why the paper is listed: kind similar (paperId, title, signal upvote|save), author (name), organization (name), topic (label) or popular',
  );

export const forYouSchema = z.object({
  coldStart: z.boolean().describe('no signal yet: the most upvoted papers'),
  window: z.object({ fromDay: z.string(), toDay: z.string() }).nullable(),
  papers: z.array(dailyEntrySchema.extend({ score: z.number(), reasons: z.array(reason) })),
});

export const noContent = z.null().describe('done');
