import { InvalidArxivIdError, parseArxivId } from '../domain/arxiv-id.ts';
import { listingDayOf } from '../domain/dates.ts';
import type { Member } from '../domain/member.ts';
import type { PaperRecord } from '../domain/paper.ts';
import { ArxivApiError, UnknownArxivPaperError } from '../sources/arxiv-api.ts';
import type { Store } from '../store/store.ts';
import { FormError } from './accounts.ts';

/** Rules like the anchor's: a few submissions a day per member, recent papers only, no duplicates. */
export interface SubmissionRules {
  perMemberPerDay: number;
  maxAgeDays: number;
}

export const DEFAULT_SUBMISSION_RULES: SubmissionRules = { perMemberPerDay: 3, maxAgeDays: 14 };

/** Longer than any arXiv or Hugging Face paper URL. */
export const MAX_SUBMISSION_LENGTH = 300;

/** What the submitter reads when fetching from arXiv failed: never the request URL or the network error. */
function fetchFailureMessage(error: unknown): string {
  if (error instanceof UnknownArxivPaperError) return error.message;
  console.error(`submit: fetching from arXiv failed: ${(error as Error).message}`);
  if (error instanceof ArxivApiError) return 'arXiv could not look up this paper just now; try again later';
  return 'arXiv could not be reached; try again in a few minutes';
}

/** Fetches a paper's metadata from arXiv; throws for an id arXiv does not have. */
export type PaperFetcher = (id: string) => Promise<PaperRecord>;

/**
 * Lists a paper on today's page as submitted by the member. Problems a person can fix come back as a FormError
 * on the `paper` field; an unknown id is one of them.
 */
export async function submitPaper(
  store: Store,
  fetchPaper: PaperFetcher,
  member: Member,
  input: string,
  rules: SubmissionRules = DEFAULT_SUBMISSION_RULES,
  now = new Date(),
): Promise<{ paperId: string; day: string }> {
  if (input.length > MAX_SUBMISSION_LENGTH) {
    throw new FormError({ paper: `at most ${MAX_SUBMISSION_LENGTH} characters: an arXiv id or a paper URL` });
  }
  let id: string;
  try {
    id = parseArxivId(input).id;
  } catch (error) {
    if (error instanceof InvalidArxivIdError) {
      throw new FormError({ paper: 'enter an arXiv id like 2411.12345 or an arXiv/Hugging Face paper URL' });
    }
    throw error;
  }
  const existing = await store.papers.getPaper(id);
  if (existing?.daily) {
    throw new FormError({ paper: `${id} is already listed, on ${existing.daily.day}` });
  }
  const since = new Date(now.getTime() - 86_400_000).toISOString();
  if ((await store.engagement.countSubmissionsSince(member.id, since)) >= rules.perMemberPerDay) {
    throw new FormError({
      paper: `you can submit ${rules.perMemberPerDay} papers a day; try again tomorrow`,
    });
  }
  let record: PaperRecord;
  try {
    record = await fetchPaper(id);
  } catch (error) {
    throw new FormError({ paper: fetchFailureMessage(error) });
  }
  const published = record.publishedAt ? Date.parse(record.publishedAt) : Number.NaN;
  if (Number.isFinite(published) && now.getTime() - published > rules.maxAgeDays * 86_400_000) {
    throw new FormError({ paper: `only papers from the last ${rules.maxAgeDays} days can be submitted` });
  }
  const { daily: _, ...withoutListing } = record;
  await store.papers.writeBatch([withoutListing]);
  const day = listingDayOf(now);
  if (!(await store.engagement.listSubmission(id, day, member, now.toISOString()))) {
    throw new FormError({ paper: `${id} is already listed` });
  }
  return { paperId: id, day };
}
