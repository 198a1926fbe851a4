import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isValidDay, parseIsoWeek, parseMonth } from '../../domain/dates.ts';

/** A query parameter or body field the API cannot use; answered with 400 and the reason. */
export class ApiParameterError extends Error {
  constructor(
    readonly parameter: string,
    reason: string,
  ) {
    super(`${parameter}: ${reason}`);
    this.name = 'ApiParameterError';
  }
}

const single = z.string().max(200, 'at most 200 characters');

/** Hugging Face's caps: a larger `limit` is served as the cap, not refused. */
export const DAILY_PAPERS_MAX_LIMIT = 100;
export const SEARCH_MAX_LIMIT = 120;

/** A count of results: a whole number, 1 or more. */
const count = z.coerce
  .number({ error: 'expected a number' })
  .int('expected a whole number')
  .min(1, 'must be 1 or more');

/** A limit over `max` is served as `max` (as Hugging Face does). */
function clampedLimit(max: number) {
  return count.transform((limit) => Math.min(limit, max));
}

/** A limit from 1 to `max`, `fallback` when absent; more is refused. */
export function boundedLimit(max: number, fallback: number) {
  return count.max(max, `at most ${max}`).default(fallback);
}

export const dailyPapersQuery = z
  .object({
    date: single
      .refine(isValidDay, 'expected a day as YYYY-MM-DD, e.g. 2026-11-24')
      .meta({ format: 'date', description: 'one listing day, YYYY-MM-DD (America/New_York days)' })
      .optional(),
    week: single
      .refine((value) => parseIsoWeek(value) !== null, 'expected an ISO week as YYYY-Www, e.g. 2026-W48')
      .describe('an ISO week, YYYY-Www')
      .optional(),
    month: single
      .refine((value) => parseMonth(value) !== null, 'expected a month as YYYY-MM, e.g. 2026-11')
      .describe('a month, YYYY-MM')
      .optional(),
    submitter: single.min(1, 'must not be empty').describe('username of who listed the papers').optional(),
    sort: z
      .enum(['publishedAt', 'trending'], { error: 'expected publishedAt or trending' })
      .default('publishedAt')
      .describe('publishedAt: newest listings first; trending: the trending list'),
    p: z.coerce
      .number({ error: 'expected a page number' })
      .int('expected a whole number')
      .min(0, 'must be 0 or more')
      .max(10_000, 'at most 10000')
      .default(0)
      .describe('page, from 0'),
    limit: clampedLimit(DAILY_PAPERS_MAX_LIMIT)
      .default(50)
      .describe('papers per page, 50 unless given; more than 100 is served as 100, as Hugging Face does'),
  })
  .superRefine((query, context) => {
    const windows = ['date', 'week', 'month'].filter(
      (key) => query[key as 'date' | 'week' | 'month'] !== undefined,
    );
    if (windows.length > 1) {
      context.addIssue({
        code: 'custom',
        path: [windows[1] ?? ''],
        message: `give only one of date, week and month`,
      });
    }
    if (query.sort === 'trending' && (windows.length > 0 || query.submitter)) {
      context.addIssue({
        code: 'custom',
        path: ['sort'],
        message:
          'trending ranks the last 14 days across the site; it does not combine with date, week, month or submitter',
      });
    }
  });

export const searchQuery = z.object({
  /** Absent or blank: the most recent papers, as Hugging Face lists them. */
  q: z
    .string()
    .trim()
    .max(500, 'at most 500 characters')
    .describe('words to look for, or an arXiv id; absent or blank: the most recent papers')
    .optional(),
  limit: clampedLimit(SEARCH_MAX_LIMIT)
    .default(SEARCH_MAX_LIMIT)
    .describe('results per page, 120 unless given; more than 120 is served as 120, as Hugging Face does'),
  p: z.coerce
    .number({ error: 'expected a page number' })
    .int('expected a whole number')
    .min(0, 'must be 0 or more')
    .max(1_000, 'at most 1000')
    .default(0)
    .describe('page, from 0'),
  sort: z
    .enum(['relevance', 'newest', 'upvotes'], { error: 'expected relevance, newest or upvotes' })
    .default('relevance')
    .describe('relevance (fused words and meaning), newest or upvotes (over every match)'),
  boost: z
    .enum(['true', 'false'], { error: 'expected true or false' })
    .default('true')
    .describe('relevance only: nudge recent and upvoted papers up'),
  mode: z
    .enum(['hybrid', 'keyword', 'semantic'], { error: 'expected hybrid, keyword or semantic' })
    .default('hybrid')
    .describe('which side finds papers: both, words only, or meaning only'),
  /** Weight of meaning beside words in relevance order; the site's SEARCH_MEANING_WEIGHT when absent. */
  meaning_weight: z.coerce
    .number({ error: 'expected a number' })
    .min(0, 'must be between 0 and 4')
    .max(4, 'must be between 0 and 4')
    .describe(
      'weight of meaning beside words (1) in relevance order, for a query of 8 words or more; shorter queries get less, identifiers none; scaled down for a built-in model measured weak. Default: the site’s SEARCH_MEANING_WEIGHT',
    )
    .optional(),
});

export const similarQuery = z.object({
  limit: boundedLimit(50, 10).describe('papers, at most 50'),
});

export const submitBody = z
  .object({ paper: z.string({ error: 'give an arXiv id or URL' }).max(300).describe('arXiv id or URL') })
  .loose();

/** A request whose `schema` validated its query string (api/schema-compilers.ts): the parsed parameters. */
export type WithQuery<T extends z.ZodType> = FastifyRequest<{ Querystring: z.output<T> }>;
/** A request whose `schema` validated its JSON body. */
export type WithBody<T extends z.ZodType> = FastifyRequest<{ Body: z.output<T> }>;

/**
 * Parses `input` with `schema`, or throws ApiParameterError naming the first bad parameter. Parameters the
 * schema does not know are ignored, as Hugging Face does.
 */
export function parseParams<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const known = schema instanceof z.ZodObject ? new Set(Object.keys(schema.shape)) : null;
  for (const [key, value] of Object.entries((input as Record<string, unknown> | null) ?? {})) {
    if (Array.isArray(value) && (known === null || known.has(key)))
      throw new ApiParameterError(key, 'give it once');
  }
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new ApiParameterError(String(issue?.path[0] ?? 'query'), issue?.message ?? 'invalid');
}
