import type {
  MemberProfile,
  PaperSignal,
  Recommendation,
  RecommendationReason,
  Recommender,
  RecommendPaper,
  RecommendRequest,
} from './contract.ts';
import { trainLinearSvm } from './linear-svm.ts';
import { authorKeys, commonVectorLength, type FeatureWeights, paperFeatures } from './paper-features.ts';
import { dotFeatures, type FeatureVector } from './sparse-vector.ts';
import { nameKey } from './term-hashing.ts';

export interface RecommendTuning {
  features: FeatureWeights;
  /** The SVM's C, split between the classes in inverse proportion to their sizes. */
  c: number;
  /** How much more a "not interested" counts than a background paper. */
  notInterestedCost: number;
  /** Added to the score of a paper by a followed author or organization, and per followed topic it matches. */
  followBonus: number;
  topicBonus: number;
  /** Passes of the SVM's solver over the examples at most. */
  iterations: number;
}

export const DEFAULT_TUNING: RecommendTuning = {
  features: { text: 1, vector: 0.5, authors: 2, organization: 0.5, maxAuthors: 64 },
  c: 0.1,
  notInterestedCost: 3,
  followBonus: 1,
  topicBonus: 0.5,
  iterations: 20,
};

const MAX_REASONS_OF_A_KIND = 2;

/** Each paper's latest signal decides whether it counts for or against (an upvote taken back by "not interested"). */
function latestSignals(signals: readonly PaperSignal[]): Map<string, PaperSignal> {
  const latest = new Map<string, PaperSignal>();
  for (const signal of Array.isArray(signals) ? signals : []) {
    const id = signal?.paper?.id;
    if (typeof id !== 'string' || !id) continue;
    const before = latest.get(id);
    if (!before || String(signal.at ?? '') >= String(before.at ?? '')) latest.set(id, signal);
  }
  return latest;
}

function uniqueById(papers: readonly RecommendPaper[], excluded: ReadonlySet<string>): RecommendPaper[] {
  const seen = new Set<string>(excluded);
  const unique: RecommendPaper[] = [];
  for (const paper of Array.isArray(papers) ? papers : []) {
    if (typeof paper?.id !== 'string' || !paper.id || seen.has(paper.id)) continue;
    seen.add(paper.id);
    unique.push(paper);
  }
  return unique;
}

function finiteUpvotes(paper: RecommendPaper): number {
  return Number.isFinite(paper.upvotes) ? paper.upvotes : 0;
}

/** Most upvoted first, then the newest, then by id: the order for a member the model knows nothing about. */
function popularOrder(a: RecommendPaper, b: RecommendPaper): number {
  return (
    finiteUpvotes(b) - finiteUpvotes(a) ||
    String(b.day ?? '').localeCompare(String(a.day ?? '')) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

function sanitizeLimit(limit: number, available: number): number {
  if (!Number.isFinite(limit) && limit !== Number.POSITIVE_INFINITY) return 0;
  return Math.max(0, Math.min(available, Math.floor(limit)));
}

interface Follows {
  authors: Map<string, string>;
  organizations: Map<string, string>;
  topics: MemberProfile['topics'];
}

function followsOf(profile: MemberProfile): Follows {
  const keyed = (names: unknown) =>
    new Map(
      (Array.isArray(names) ? names : [])
        .filter((name): name is string => typeof name === 'string')
        .map((name) => [nameKey(name), name] as const)
        .filter(([key]) => key !== ''),
    );
  return {
    authors: keyed(profile.followedAuthors),
    organizations: keyed(profile.followedOrganizations),
    topics: (Array.isArray(profile.topics) ? profile.topics : []).filter(
      (topic) => topic && typeof topic.label === 'string' && topic.matches instanceof Set,
    ),
  };
}

function followReasons(paper: RecommendPaper, follows: Follows, maxAuthors: number): RecommendationReason[] {
  const reasons: RecommendationReason[] = [];
  const authors = Array.isArray(paper.authors) ? paper.authors.filter((a) => typeof a === 'string') : [];
  for (const key of authorKeys(authors, maxAuthors)) {
    const name = follows.authors.get(key);
    if (name && reasons.length < MAX_REASONS_OF_A_KIND) reasons.push({ kind: 'author', name });
  }
  const organization = typeof paper.organization === 'string' ? nameKey(paper.organization) : '';
  const followedOrganization = organization ? follows.organizations.get(organization) : undefined;
  if (followedOrganization) reasons.push({ kind: 'organization', name: followedOrganization });
  let topics = 0;
  for (const topic of follows.topics) {
    if (topics < MAX_REASONS_OF_A_KIND && topic.matches.has(paper.id)) {
      reasons.push({ kind: 'topic', label: topic.label });
      topics++;
    }
  }
  return reasons;
}

function followScore(reasons: readonly RecommendationReason[], tuning: RecommendTuning): number {
  let score = 0;
  for (const reason of reasons) {
    if (reason.kind === 'author' || reason.kind === 'organization')
      score = Math.max(score, tuning.followBonus);
  }
  const topics = reasons.filter((reason) => reason.kind === 'topic').length;
  return score + topics * tuning.topicBonus;
}

/** The liked paper whose features are closest to the candidate's (its sparse part scattered into `scratch`). */
function mostSimilar(
  candidate: FeatureVector,
  liked: readonly { x: FeatureVector; signal: PaperSignal }[],
  scratch: Float64Array,
): PaperSignal | null {
  const { index, value } = candidate.sparse;
  for (let p = 0; p < index.length; p++) scratch[index[p] ?? 0] = value[p] ?? 0;
  const weights = {
    dense: Float64Array.from(candidate.dense ?? [], (v) => v * candidate.denseScale),
    sparse: scratch,
  };
  let best: PaperSignal | null = null;
  let bestScore = 0;
  for (const { x, signal } of liked) {
    const score = dotFeatures(weights, x);
    if (score > bestScore) [best, bestScore] = [signal, score];
  }
  for (let p = 0; p < index.length; p++) scratch[index[p] ?? 0] = 0;
  return best;
}

/** Cold start, or follows only: what is followed first, then the most upvoted. */
function followedThenPopular(
  candidates: readonly RecommendPaper[],
  reasonsOf: readonly RecommendationReason[][],
  limit: number,
  tuning: RecommendTuning,
): Recommendation[] {
  const ranked = candidates
    .map((paper, k) => ({ paper, reasons: reasonsOf[k] ?? [] }))
    .map((entry) => ({ ...entry, score: followScore(entry.reasons, tuning) }))
    .sort((a, b) => b.score - a.score || popularOrder(a.paper, b.paper));
  return ranked.slice(0, limit).map(({ paper, score, reasons }) => ({
    id: paper.id,
    score,
    reasons: reasons.length > 0 ? reasons : [{ kind: 'popular' }],
  }));
}

/** The papers the model learns from, each with its features (positives first, then negatives, then background). */
interface TrainingSet {
  positives: readonly RecommendPaper[];
  negatives: readonly RecommendPaper[];
  background: readonly RecommendPaper[];
  features: readonly FeatureVector[];
}

/** The SVM's examples: classes weighted in inverse proportion to their sizes, a "not interested" above background. */
function trainingExamples(set: TrainingSet, tuning: RecommendTuning) {
  const { positives, negatives, background, features } = set;
  const positiveCount = positives.length;
  const negativeCount = negatives.length + background.length;
  const total = positiveCount + negativeCount;
  const positiveCost = (tuning.c * total) / (2 * positiveCount);
  const negativeCost = negativeCount > 0 ? (tuning.c * total) / (2 * negativeCount) : tuning.c;
  return [
    ...positives.map((_, k) => ({ x: features[k], label: 1 as const, cost: positiveCost })),
    ...negatives.map((_, k) => ({
      x: features[positiveCount + k],
      label: -1 as const,
      cost: negativeCost * tuning.notInterestedCost,
    })),
    ...background.map((_, k) => ({
      x: features[positiveCount + negatives.length + k],
      label: -1 as const,
      cost: negativeCost,
    })),
  ].flatMap((example) => (example.x ? [{ ...example, x: example.x }] : []));
}

/** The candidate's reasons, with the liked paper it is most like added. */
function withSimilarReason(
  reasons: readonly RecommendationReason[],
  x: FeatureVector | undefined,
  likedFeatures: readonly { x: FeatureVector; signal: PaperSignal }[],
  scratch: Float64Array,
): RecommendationReason[] {
  const similar = x ? mostSimilar(x, likedFeatures, scratch) : null;
  const all: RecommendationReason[] = [...reasons];
  if (similar) {
    all.push({
      kind: 'similar',
      paperId: similar.paper.id,
      title: typeof similar.paper.title === 'string' ? similar.paper.title : '',
      signal: similar.kind === 'save' ? 'save' : 'upvote',
    });
  }
  return all;
}

/** A model learned from the member's signals ranks the candidates, follows adding to the score. */
function learnedRanking(
  request: RecommendRequest,
  signals: ReadonlyMap<string, PaperSignal>,
  candidates: readonly RecommendPaper[],
  reasonsOf: readonly RecommendationReason[][],
  limit: number,
  tuning: RecommendTuning,
): Recommendation[] {
  const liked = [...signals.values()].filter((signal) => signal.kind === 'upvote' || signal.kind === 'save');
  const disliked = [...signals.values()].filter((signal) => signal.kind === 'not-interested');
  const background = uniqueById(request.background, new Set([...signals.keys()]));
  const positives = liked.map((signal) => signal.paper);
  const negatives = disliked.map((signal) => signal.paper);
  const papers = [...positives, ...negatives, ...background, ...candidates];
  const vectorLength = commonVectorLength(papers);
  const { features, sparseDimensions } = paperFeatures(papers, vectorLength, tuning.features);
  const model = trainLinearSvm(
    trainingExamples({ positives, negatives, background, features }, tuning),
    { dense: vectorLength, sparse: sparseDimensions },
    { tolerance: 1e-3, maxIterations: tuning.iterations },
  );

  const candidateStart = papers.length - candidates.length;
  const ranked = candidates
    .map((paper, k) => {
      const x = features[candidateStart + k];
      const reasons = reasonsOf[k] ?? [];
      const learned = x ? dotFeatures(model.weights, x) + model.bias : 0;
      return { paper, k, reasons, score: learned + followScore(reasons, tuning) };
    })
    .sort((a, b) => b.score - a.score || popularOrder(a.paper, b.paper))
    .slice(0, limit);

  const likedFeatures = liked.flatMap((signal, k) => {
    const x = features[k];
    return x ? [{ x, signal }] : [];
  });
  const scratch = new Float64Array(sparseDimensions);
  return ranked.map(({ paper, k, reasons, score }) => {
    const all = withSimilarReason(reasons, features[candidateStart + k], likedFeatures, scratch);
    return { id: paper.id, score, reasons: all.length > 0 ? all : [{ kind: 'popular' }] };
  });
}

/** A recommender with the given weights; `recommend` is the site's. */
export function createRecommender(tuning: RecommendTuning = DEFAULT_TUNING): Recommender {
  return (request: RecommendRequest): Recommendation[] => {
    const profile = request.profile ?? {
      signals: [],
      followedAuthors: [],
      followedOrganizations: [],
      topics: [],
    };
    const signals = latestSignals(profile.signals);
    const candidates = uniqueById(request.candidates, new Set(signals.keys()));
    const limit = sanitizeLimit(request.limit, candidates.length);
    if (limit === 0) return [];
    const follows = followsOf(profile);
    const reasonsOf = candidates.map((paper) => followReasons(paper, follows, tuning.features.maxAuthors));
    const likesAny = [...signals.values()].some(
      (signal) => signal.kind === 'upvote' || signal.kind === 'save',
    );
    if (!likesAny) return followedThenPopular(candidates, reasonsOf, limit, tuning);
    return learnedRanking(request, signals, candidates, reasonsOf, limit, tuning);
  };
}

export const recommend: Recommender = createRecommender();
