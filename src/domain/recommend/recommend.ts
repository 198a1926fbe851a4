/**
 * A first recommender behind the `Recommender` contract: a candidate scores by its nearest liked paper (cosine of
 * the site's vectors, else of title and abstract words), less its nearest "not interested" paper, plus bonuses for
 * followed authors, organizations and topics, with upvotes to break ties. Cold start ranks by upvotes.
 */
import type {
  MemberProfile,
  PaperSignal,
  Recommendation,
  RecommendationReason,
  Recommender,
  RecommendPaper,
} from './contract.ts';

/** Below this a liked paper is not named as the reason. */
const SIMILAR_REASON = 0.3;
const NEGATIVE_WEIGHT = 0.6;
const FOLLOW_BONUS = { author: 0.5, organization: 0.3, topic: 0.4 } as const;
const POPULARITY_WEIGHT = 0.02;

type Features = { vector: Float32Array | null; words: Map<string, number> };

function wordBag(paper: RecommendPaper): Map<string, number> {
  const bag = new Map<string, number>();
  for (const word of `${paper.title} ${paper.abstract}`.toLowerCase().match(/[\p{L}\p{N}]{3,}/gu) ?? []) {
    bag.set(word, (bag.get(word) ?? 0) + 1);
  }
  return bag;
}

function vectorCosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

function bagCosine(a: Map<string, number>, b: Map<string, number>): number {
  let dot = 0;
  for (const [word, count] of a) dot += count * (b.get(word) ?? 0);
  if (dot === 0) return 0;
  const norm = (bag: Map<string, number>) => Math.sqrt([...bag.values()].reduce((sum, n) => sum + n * n, 0));
  return dot / (norm(a) * norm(b));
}

function similarity(a: Features, b: Features): number {
  return a.vector && b.vector && a.vector.length === b.vector.length
    ? vectorCosine(a.vector, b.vector)
    : bagCosine(a.words, b.words);
}

const features = (paper: RecommendPaper): Features => ({ vector: paper.vector, words: wordBag(paper) });

function isColdStart(profile: MemberProfile): boolean {
  return (
    !profile.signals.some((signal) => signal.kind !== 'not-interested') &&
    profile.followedAuthors.length + profile.followedOrganizations.length + profile.topics.length === 0
  );
}

const byUpvotes = (papers: RecommendPaper[], limit: number): Recommendation[] =>
  [...papers]
    .sort(
      (a, b) => b.upvotes - a.upvotes || (b.day ?? '').localeCompare(a.day ?? '') || a.id.localeCompare(b.id),
    )
    .slice(0, limit)
    .map((paper) => ({ id: paper.id, score: paper.upvotes, reasons: [{ kind: 'popular' }] }));

export const recommend: Recommender = ({ profile, candidates, limit }) => {
  const signalled = new Set(profile.signals.map((signal) => signal.paper.id));
  const open = candidates.filter((paper) => !signalled.has(paper.id));
  if (isColdStart(profile)) return byUpvotes(open, limit);

  const liked = profile.signals
    .filter((signal): signal is PaperSignal & { kind: 'upvote' | 'save' } => signal.kind !== 'not-interested')
    .map((signal) => ({ signal, features: features(signal.paper) }));
  const disliked = profile.signals
    .filter((signal) => signal.kind === 'not-interested')
    .map((signal) => features(signal.paper));
  const authors = new Set(profile.followedAuthors.map((name) => name.toLowerCase()));
  const organizations = new Set(profile.followedOrganizations.map((name) => name.toLowerCase()));

  const ranked = open.map((paper): Recommendation => {
    const own = features(paper);
    const reasons: RecommendationReason[] = [];
    let best: (typeof liked)[number] | null = null;
    let bestScore = 0;
    for (const entry of liked) {
      const score = similarity(own, entry.features);
      if (score > bestScore) [best, bestScore] = [entry, score];
    }
    if (best && bestScore >= SIMILAR_REASON) {
      const { paper: likedPaper, kind } = best.signal;
      reasons.push({ kind: 'similar', paperId: likedPaper.id, title: likedPaper.title, signal: kind });
    }
    const against = disliked.reduce((max, other) => Math.max(max, similarity(own, other)), 0);
    let score = bestScore - NEGATIVE_WEIGHT * against + POPULARITY_WEIGHT * Math.log1p(paper.upvotes);
    const author = paper.authors.find((name) => authors.has(name.toLowerCase()));
    if (author) {
      score += FOLLOW_BONUS.author;
      reasons.push({ kind: 'author', name: author });
    }
    if (paper.organization && organizations.has(paper.organization.toLowerCase())) {
      score += FOLLOW_BONUS.organization;
      reasons.push({ kind: 'organization', name: paper.organization });
    }
    for (const topic of profile.topics) {
      if (!topic.matches.has(paper.id)) continue;
      score += FOLLOW_BONUS.topic;
      reasons.push({ kind: 'topic', label: topic.label });
    }
    if (reasons.length === 0) reasons.push({ kind: 'popular' });
    return { id: paper.id, score, reasons };
  });
  return ranked.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id)).slice(0, limit);
};
