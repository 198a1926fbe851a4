import type { Paper } from '../domain/paper.ts';
import { DEFAULT_TRENDING, type TrendingParams, trendingScore } from '../domain/trending.ts';
import type { Store } from '../store/store.ts';

/** Papers older than this no longer trend, whatever their score. */
const HORIZON_DAYS = 14;

/**
 * "Now" for trending: the real time, or the end of the newest listing day when the data stops earlier (a site
 * loaded from an archive still shows what was trending when its data ends, not an empty list).
 */
async function dataNow(store: Store): Promise<Date> {
  const latest = await store.papers.latestDay();
  const real = new Date();
  if (!latest) return real;
  const endOfLatest = new Date(Date.parse(`${latest}T23:59:59.999Z`));
  return endOfLatest < real ? endOfLatest : real;
}

/** The trending list: recent papers by decayed upvotes plus GitHub stars growth (see domain/trending.ts). */
export async function listTrending(
  store: Store,
  options: { limit: number; offset: number; now?: Date; params?: TrendingParams },
): Promise<{ papers: Paper[]; total: number }> {
  const now = options.now ?? (await dataNow(store));
  const params = options.params ?? DEFAULT_TRENDING;
  const since = new Date(now.getTime() - HORIZON_DAYS * 86_400_000).toISOString();
  const starsSince = new Date(now.getTime() - params.starsWindowDays * 86_400_000).toISOString();
  const scored = (await store.engagement.trendingCandidates(since, starsSince))
    .map((candidate) => ({
      id: candidate.paperId,
      score: trendingScore(
        {
          listedAt: new Date(candidate.listedAt),
          importedUpvotes: candidate.importedUpvotes,
          voteTimes: candidate.voteTimes.map((time) => new Date(time)),
          starsGained: candidate.starsGained,
        },
        now,
        params,
      ),
    }))
    .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
  const page = scored.slice(options.offset, options.offset + options.limit).map((entry) => entry.id);
  return { papers: await store.papers.getPapers(page), total: scored.length };
}
