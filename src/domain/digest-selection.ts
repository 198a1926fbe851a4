/**
 * Which papers a digest holds.
 *
 * - Global digest: the period's papers in trending order.
 * - Topic digest: papers of the period matching any topic, ranked by relevance × (1 + upvotes), where relevance
 *   is the paper's search score for its best saved search relative to that search's best match in the period
 *   (so 1 for the best match); followed authors and organizations match exactly (relevance 1).
 * - Either way, papers this subscriber already got in an earlier digest are skipped, and at most DIGEST_SIZE go.
 */
import { collapseSpaces } from './paper-text.ts';

export const DIGEST_SIZE = 10;
/** How far back "already sent" looks. */
export const SENT_MEMORY_DAYS = 60;

/** Search scores (higher is better) as relevance in (0, 1]: each divided by the best. */
export function relativeRelevance(
  hits: Array<{ id: string; score: number }>,
): Array<{ id: string; relevance: number }> {
  const best = Math.max(0, ...hits.map((hit) => hit.score));
  return hits.map((hit) => ({ id: hit.id, relevance: best > 0 && hit.score > 0 ? hit.score / best : 1 }));
}

export interface TopicCandidate {
  id: string;
  upvotes: number;
  /** Best relevance over the subscriber's topics (0 < relevance ≤ 1). */
  relevance: number;
}

/** Topic matches best first: relevance × (1 + upvotes), ties by upvotes then id. */
export function rankTopicMatches(candidates: TopicCandidate[]): string[] {
  return candidates
    .map((candidate) => ({ ...candidate, score: candidate.relevance * (1 + candidate.upvotes) }))
    .sort((a, b) => b.score - a.score || b.upvotes - a.upvotes || a.id.localeCompare(b.id))
    .map((candidate) => candidate.id);
}

/** The first `size` ids of a ranking that this subscriber has not been sent yet. */
export function pickUnsent(ranking: readonly string[], alreadySent: ReadonlySet<string>, size = DIGEST_SIZE) {
  const picked: string[] = [];
  for (const id of ranking) {
    if (picked.length === size) break;
    if (!alreadySent.has(id)) picked.push(id);
  }
  return picked;
}

/** A short plain abstract for a mail: whitespace collapsed, cut at a word near `max` characters. */
export function shortAbstract(text: string, max = 280): string {
  const flat = collapseSpaces(text).trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:.]+$/, '')}…`;
}
