import { z } from 'zod';
import { FOLLOW_KINDS } from '../../domain/follows.ts';
import { ApiParameterError, boundedLimit } from './params.ts';

/** Bodies and queries of the member's API (`/api/me/…`); services check the values' content. */
const page = z.coerce
  .number({ error: 'expected a page number' })
  .int('expected a whole number')
  .min(0, 'must be 0 or more')
  .max(10_000, 'at most 10000')
  .default(0);
const text = (max: number) => z.string({ error: 'expected text' }).max(max, `at most ${max} characters`);
const paperId = text(64).describe('arXiv id, e.g. 2411.12345');

export const feedQuery = z.object({
  limit: boundedLimit(100, 50).describe('papers, at most 100'),
  tag: text(200).describe('“More like this tag”: rank by the saves with this tag only').optional(),
});

export const libraryQuery = z.object({
  tag: text(200).describe('only the papers with this tag').optional(),
  p: page.describe('page, from 0'),
  limit: z.coerce
    .number({ error: 'expected a number' })
    .int()
    .min(1)
    .max(100)
    .default(50)
    .describe('per page, at most 100'),
});

export const followBody = z.object({
  kind: z.enum(FOLLOW_KINDS, { error: `expected one of ${FOLLOW_KINDS.join(', ')}` }),
  target: text(1_000).describe('author name, organization handle, or a search in the query language'),
  label: text(1_000).describe('what pages call a topic (default: its query)').optional(),
});

export const saveBody = z.object({
  paperId,
  tags: z
    .union([text(1_000), z.array(text(200)).max(50, 'at most 50 tags')])
    .describe('a list, or text separated by commas; at most 10, each at most 40 characters. None: “saved”')
    .optional(),
});

export const untagBody = z.object({ paperId, tag: text(200) });
export const paperBody = z.object({ paperId });
export const notInterestedBody = z.object({
  paperId,
  undo: z.boolean({ error: 'expected true or false' }).default(false).describe('true takes the mark back'),
});

export const collectionBody = z.object({
  tag: text(200),
  slug: text(200).describe('default: made from the tag').optional(),
  title: text(1_000).describe('default: the tag').optional(),
  description: text(10_000).optional(),
  visibility: z.enum(['public', 'private'], { error: 'expected public or private' }),
});

/** A JSON body by `schema` (lists allowed, unlike query parameters), or ApiParameterError naming the field. */
export function parseBody<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new ApiParameterError(String(issue?.path[0] ?? 'body'), issue?.message ?? 'invalid');
}
