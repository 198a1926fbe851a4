import { closestLiked } from './closest-liked.ts';
import type {
  MemberProfile,
  PaperSignal,
  Recommendation,
  RecommendationReason,
  Recommender,
  RecommendPaper,
  RecommendRequest,
} from './contract.ts';
import { type FeatureSpace, featureSpace } from './feature-space.ts';
import { type LinearModel, type TrainingExample, trainLinearSvm } from './linear-svm.ts';
import { type FeatureWeights, paperTerms } from './paper-features.ts';
import { dotFeatures } from './sparse-vector.ts';
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
  /**
   * The solver stops when the spread of its projected gradients falls below this. 0.1 is LIBLINEAR's default for
   * this solver; `eval:recommend` ranks the same at 0.001 in a sixth of the time (docs/benchmarks.md).
   */
  tolerance: number;
}

export const DEFAULT_TUNING: RecommendTuning = {
  features: { text: 1, vector: 0.5, authors: 2, organization: 0.5, maxAuthors: 64, maxVectorDimensions: 256 },
  c: 0.1,
  notInterestedCost: 3,
  followBonus: 1,
  topicBonus: 0.5,
  iterations: 20,
  tolerance: 0.1,
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
  const terms = paperTerms(paper, maxAuthors);
  for (const key of terms.authorKeys) {
    const name = follows.authors.get(key);
    if (name && reasons.length < MAX_REASONS_OF_A_KIND) reasons.push({ kind: 'author', name });
  }
  const organization = terms.organizationKey;
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

/** The papers a model learns from: liked ones, "not interested" ones and background samples. */
interface TrainingPapers {
  positives: readonly RecommendPaper[];
  negatives: readonly RecommendPaper[];
  background: readonly RecommendPaper[];
}

/** The SVM's examples, each with a key naming its paper and role, so a later model can start from this one's. */
interface Examples {
  examples: TrainingExample[];
  keys: string[];
}

/** The SVM's examples: classes weighted in inverse proportion to their sizes, a "not interested" above background. */
function trainingExamples(space: FeatureSpace, set: TrainingPapers, tuning: RecommendTuning): Examples {
  const { positives, negatives, background } = set;
  const negativeCount = negatives.length + background.length;
  const total = positives.length + negativeCount;
  const positiveCost = (tuning.c * total) / (2 * positives.length);
  const negativeCost = negativeCount > 0 ? (tuning.c * total) / (2 * negativeCount) : tuning.c;
  const roles = [
    { papers: positives, key: 'liked', label: 1 as const, cost: positiveCost },
    {
      papers: negatives,
      key: 'not-interested',
      label: -1 as const,
      cost: negativeCost * tuning.notInterestedCost,
    },
    { papers: background, key: 'background', label: -1 as const, cost: negativeCost },
  ];
  const examples: TrainingExample[] = [];
  const keys: string[] = [];
  for (const role of roles)
    for (const paper of role.papers) {
      examples.push({ x: space.featuresOf(paper), label: role.label, cost: role.cost });
      keys.push(`${role.key}:${paper.id}`);
    }
  return { examples, keys };
}

/** A member's learned model, and the liked paper most like each candidate, found when first asked. */
interface Learned {
  model: LinearModel;
  spaceId: number;
  /** The solver's dual variables by example key. */
  alphaByKey: Map<string, number>;
  similarTo(paper: RecommendPaper): PaperSignal | null;
}

/**
 * Models learned lately, by what they were learned from (the space, the tuning, each signalled paper's id and
 * kind, the background): a member's next page view reuses theirs, and a new signal makes a new key.
 */
const learnedModels = new Map<string, Learned>();
const MAX_LEARNED_MODELS = 32;
const WARM_START_PROBES = 16;

/**
 * Where the solver starts: the dual variables of the model learned lately in the same space from the most of
 * these examples (the same member's, one signal ago), or nothing. Any start reaches the same optimum.
 */
function warmStart(spaceId: number, keys: readonly string[]): Float64Array | undefined {
  let best: Learned | undefined;
  let bestShared = 0;
  // A few keys spread over the list tell another member's model (it shares almost none) before all are counted.
  const probes = keys.filter((_, i) => i % Math.max(1, Math.floor(keys.length / WARM_START_PROBES)) === 0);
  // Newest first: a model one signal ago shares all keys but one, and no older one can share more than all.
  for (const learned of [...learnedModels.values()].reverse()) {
    if (learned.spaceId !== spaceId) continue;
    const probed = probes.filter((key) => learned.alphaByKey.has(key)).length;
    if (probed < probes.length / 2) continue;
    let shared = 0;
    for (const key of keys) if (learned.alphaByKey.has(key)) shared++;
    if (shared > bestShared) [best, bestShared] = [learned, shared];
    if (bestShared >= keys.length - 1) break;
  }
  if (!best || bestShared < keys.length / 2) return undefined;
  const alpha = best.alphaByKey;
  return Float64Array.from(keys, (key) => alpha.get(key) ?? 0);
}

function learn(
  space: FeatureSpace,
  liked: readonly PaperSignal[],
  set: Omit<TrainingPapers, 'positives'>,
  tuning: RecommendTuning,
): Learned {
  const key = [
    space.id,
    JSON.stringify(tuning),
    liked.map((signal) => `${signal.kind}:${signal.paper.id}`).join(' '),
    set.negatives.map((paper) => paper.id).join(' '),
    set.background.map((paper) => paper.id).join(' '),
  ].join('|');
  const known = learnedModels.get(key);
  if (known) {
    learnedModels.delete(key);
    learnedModels.set(key, known);
    return known;
  }
  const positives = liked.map((signal) => signal.paper);
  const { examples, keys } = trainingExamples(space, { ...set, positives }, tuning);
  const start = warmStart(space.id, keys);
  const model = trainLinearSvm(
    examples,
    { dense: space.vectorLength, sparse: space.sparseDimensions },
    { tolerance: tuning.tolerance, maxIterations: tuning.iterations, ...(start && { start }) },
  );
  const similar = new Map<string, PaperSignal | null>();
  let closest: ReturnType<typeof closestLiked<PaperSignal>> | null = null;
  const learned: Learned = {
    model,
    spaceId: space.id,
    alphaByKey: new Map(keys.map((name, i) => [name, model.alpha[i] ?? 0])),
    similarTo(paper) {
      const found = similar.get(paper.id);
      if (found !== undefined) return found;
      closest ??= closestLiked(
        space,
        liked.map((signal) => ({
          key: `${signal.kind}:${signal.paper.id}`,
          item: signal,
          x: space.featuresOf(signal.paper),
        })),
      );
      const answer = closest(paper.id, space.featuresOf(paper));
      similar.set(paper.id, answer);
      return answer;
    },
  };
  learnedModels.set(key, learned);
  if (learnedModels.size > MAX_LEARNED_MODELS) {
    const oldest = learnedModels.keys().next().value;
    if (oldest !== undefined) learnedModels.delete(oldest);
  }
  return learned;
}

/** The candidate's reasons, with the liked paper it is most like added. */
function withSimilarReason(
  reasons: readonly RecommendationReason[],
  similar: PaperSignal | null,
): RecommendationReason[] {
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
  const space = featureSpace(uniqueById(request.candidates, new Set()), tuning.features);
  const learned = learn(
    space,
    liked,
    {
      negatives: disliked.map((signal) => signal.paper),
      background: uniqueById(request.background, new Set([...signals.keys()])),
    },
    tuning,
  );
  const { model } = learned;
  const ranked = candidates
    .map((paper, k) => {
      const reasons = reasonsOf[k] ?? [];
      const learned = dotFeatures(model.weights, space.featuresOf(paper)) + model.bias;
      return { paper, reasons, score: learned + followScore(reasons, tuning) };
    })
    .sort((a, b) => b.score - a.score || popularOrder(a.paper, b.paper))
    .slice(0, limit);

  return ranked.map(({ paper, reasons, score }) => {
    const all = withSimilarReason(reasons, learned.similarTo(paper));
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
