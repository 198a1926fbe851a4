/**
 * Which papers keyword search ranks, on either engine. BM25 over the papers with any of nine words scores tens of
 * thousands of papers for a long query, most of them with a common word or two only, which never reach the top.
 * When the ranking words' postings add up to more than `exhaustivePostings`, the candidates are the papers with
 * one of the rarest words (those whose postings add up to at most `candidatePostings`; at least the rarest word),
 * still ranked by all the words; papers with none of the rare words are not ranked at all. On the search dev set
 * this ranks as well as scoring every match (3,000 postings; 2,000 lost 0.01 MRR@10 on ai_summary) in a quarter
 * of the time.
 */
export interface CandidateLimits {
  exhaustivePostings: number;
  candidatePostings: number;
}

export const CANDIDATE_LIMITS: CandidateLimits = {
  exhaustivePostings: 6_000,
  candidatePostings: 3_000,
};

/**
 * Groups of ranking words (indexes into `counts`, which are the words' paper counts, rarest first; null for a
 * word not counted) a candidate must have all of one of, or undefined to rank every paper with any of the words.
 */
export function candidateGroups(
  counts: ReadonlyArray<number | null>,
  limits: CandidateLimits,
): number[][] | undefined {
  // Two words are too few to leave any out; uncounted words (a longer query whose rarest word is common) rank
  // every match too.
  if (counts.some((count) => count === null)) return undefined;
  const known = counts as readonly number[];
  const postings = known.reduce((sum, count) => sum + count, 0);
  if (postings <= limits.exhaustivePostings) return undefined;
  if ((known[0] ?? 0) > limits.candidatePostings && known.length > 3) {
    // Even the rarest word is in too many papers to rank them all (millions of papers): the candidates have
    // two of the three rarest. At 2.7M papers that ranked 0.93 of the full top 10 in 49 ms, where the rarest
    // word alone ranked 0.89 in 83 ms.
    return [
      [0, 1],
      [0, 2],
      [1, 2],
    ];
  }
  let rare = 0;
  let candidates = 0;
  for (const count of known) {
    if (rare > 0 && candidates + count > limits.candidatePostings) break;
    candidates += count;
    rare++;
  }
  if (rare === known.length) return undefined;
  return Array.from({ length: rare }, (_, index) => [index]);
}
