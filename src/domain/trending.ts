/**
 * Trending: what the community is upvoting now.
 *
 *   score = Σ over upvotes of 2^(−age / halfLife)  +  starsWeight · log2(1 + stars gained in the last starsWindow)
 *
 * Each upvote counts 1 when it is cast and half as much every `halfLife` after. Upvotes imported from elsewhere
 * (Hugging Face counts) carry no time of their own: they count as cast when the paper was listed. Growth of the
 * paper's GitHub stars adds a damped bonus, so code people star fast lifts a paper without drowning the votes.
 */
export interface TrendingParams {
  halfLifeHours: number;
  starsWeight: number;
  starsWindowDays: number;
}

export const DEFAULT_TRENDING: TrendingParams = { halfLifeHours: 48, starsWeight: 1, starsWindowDays: 7 };

export interface TrendingInput {
  /** When the paper was listed (imported upvotes are dated then). */
  listedAt: Date;
  importedUpvotes: number;
  /** When each of our members' upvotes was cast. */
  voteTimes: Date[];
  /** Stars gained within the stars window, when known. */
  starsGained: number | null;
}

function decay(ageMs: number, halfLifeHours: number): number {
  const ageHours = Math.max(0, ageMs / 3_600_000);
  return 2 ** (-ageHours / halfLifeHours);
}

export function trendingScore(
  input: TrendingInput,
  now: Date,
  params: TrendingParams = DEFAULT_TRENDING,
): number {
  const nowMs = now.getTime();
  let score = input.importedUpvotes * decay(nowMs - input.listedAt.getTime(), params.halfLifeHours);
  for (const time of input.voteTimes) score += decay(nowMs - time.getTime(), params.halfLifeHours);
  if (input.starsGained && input.starsGained > 0)
    score += params.starsWeight * Math.log2(1 + input.starsGained);
  return score;
}
