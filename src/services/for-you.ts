/**
 * "For you": gathers a member's signals (upvotes, saves, "not interested", follows), the recent papers as
 * candidates and a background sample, with their vectors where the site has them, and asks the recommender.
 * The member's signals are read per request, so a new signal counts on the next page load; what every member reads
 * alike (the candidates, their features, background samples, followed searches' matches) is kept per data version.
 */
import { createHash } from 'node:crypto';
import { addDays } from '../domain/dates.ts';
import type { Member } from '../domain/member.ts';
import type { Paper } from '../domain/paper.ts';
import type {
  FollowedTopic,
  MemberProfile,
  PaperSignal,
  RecommendationReason,
  Recommender,
  RecommendPaper,
} from '../domain/recommend/contract.ts';
import type { Store } from '../store/store.ts';
import { keywordTopicMatcher } from './digest-content.ts';
import { rememberUnlessFailed } from './promise-cache.ts';

/** Calendar days back from the newest listing day: about 14 listing days. */
const CANDIDATE_DAYS = 20;
const MAX_CANDIDATES = 1_000;
const MAX_SIGNALS = 500;
const BACKGROUND_SIZE = 100;

export interface ForYouItem {
  paper: Paper;
  score: number;
  reasons: RecommendationReason[];
}

export interface ForYouResult {
  items: ForYouItem[];
  /** The member gave no signal yet: the list is the most upvoted, and pages offer onboarding. */
  coldStart: boolean;
  /** The listing days the candidates came from. */
  window: { fromDay: string; toDay: string } | null;
}

export interface ForYouOptions {
  limit: number;
  /** "More like this tag": the signals are the saves with this tag only. */
  tag?: string;
  /** The listing days to rank (a digest's period); default: the last CANDIDATE_DAYS days. */
  window?: { fromDay: string; toDay: string };
  now?: Date;
}

export interface ForYouDeps {
  store: Store;
  recommend: Recommender;
}

async function vectorsOf(store: Store, ids: string[]): Promise<Map<string, Float32Array>> {
  const model = await store.vectors.embeddingModelName();
  return model ? store.vectors.getVectors(model, ids) : new Map();
}

function asCandidate(paper: Paper, vectors: ReadonlyMap<string, Float32Array>): RecommendPaper {
  return {
    id: paper.id,
    title: paper.title,
    abstract: paper.abstract,
    authors: paper.authors.map((author) => author.name),
    organization: paper.organization?.name ?? null,
    day: paper.daily?.day ?? paper.publishedAt?.slice(0, 10) ?? null,
    upvotes: paper.upvotes,
    vector: vectors.get(paper.id) ?? null,
  };
}

/** A stable pseudo-random offset for the background sample: the same for one member on one day. */
function sampleOffset(memberId: number, day: string, total: number): number {
  if (total <= BACKGROUND_SIZE) return 0;
  const hash = createHash('sha256').update(`${memberId}:${day}`).digest();
  return hash.readUInt32BE(0) % (total - BACKGROUND_SIZE);
}

interface RawSignals {
  signals: Array<{ id: string; kind: PaperSignal['kind']; tags?: string[]; at: string }>;
  authors: string[];
  organizations: string[];
  topics: Array<{ id: string; label: string; query: string }>;
}

async function gatherSignals(store: Store, member: Member, tag: string | undefined): Promise<RawSignals> {
  const [saves, notInterested, follows, upvotes] = await Promise.all([
    store.library.list(member.id, { ...(tag !== undefined && { tag }), limit: MAX_SIGNALS, offset: 0 }),
    store.library.notInterested(member.id, MAX_SIGNALS),
    tag === undefined ? store.follows.list(member.id) : [],
    tag === undefined ? store.engagement.recentUpvotes(member.id, MAX_SIGNALS) : [],
  ]);
  return {
    signals: [
      ...upvotes.map((vote) => ({ id: vote.paperId, kind: 'upvote' as const, at: vote.createdAt })),
      ...saves.map((save) => ({
        id: save.paperId,
        kind: 'save' as const,
        tags: save.tags,
        at: save.savedAt,
      })),
      ...notInterested.map((mark) => ({ id: mark.paperId, kind: 'not-interested' as const, at: mark.at })),
    ],
    authors: follows.filter((f) => f.kind === 'author').map((f) => f.target),
    organizations: follows.filter((f) => f.kind === 'organization').map((f) => f.target),
    topics: follows
      .filter((f) => f.kind === 'topic')
      .map((f) => ({ id: String(f.id), label: f.label, query: f.target })),
  };
}

async function topicMatches(
  store: Store,
  topics: RawSignals['topics'],
  window: { fromDay: string; toDay: string },
  version: VersionPool,
): Promise<FollowedTopic[]> {
  const period = { frequency: 'weekly' as const, key: 'for-you', window, label: '' };
  const matchesOf = (query: string) =>
    rememberUnlessFailed(
      version.topicMatches,
      query,
      async () =>
        new Set((await keywordTopicMatcher(store, query, period, version.pool)).map((match) => match.id)),
    );
  return Promise.all(
    topics.map(async (topic) => ({
      id: topic.id,
      label: topic.label,
      matches: await matchesOf(topic.query),
    })),
  );
}

/** The ids of a background sample: the newest papers from this offset on, read once per data version. */
function backgroundSample(store: Store, version: VersionPool, offset: number): Promise<string[]> {
  if (version.backgrounds.size >= MAX_READ_PER_VERSION / BACKGROUND_SIZE) version.backgrounds.clear();
  return rememberUnlessFailed(version.backgrounds, offset, async () =>
    (await store.papers.listPapers({}, { sort: 'newest', limit: BACKGROUND_SIZE, offset })).map(
      (paper) => paper.id,
    ),
  );
}

/** The recommender's view of a paper, and when it was read (Date.now()). */
interface ReadPaper {
  seen: RecommendPaper;
  at: number;
}

/**
 * How long the view of a paper that is no candidate (a signal, a background sample) is reused across data
 * versions: a paper's text changes only when it is imported again, and every upvote makes a new version.
 */
const VIEW_REUSE_MS = 60_000;

/**
 * What every member's request reads alike at one data version: the window's papers (with the recommender's view
 * of them, the same objects each time, so the recommender's per-candidate work is shared), the number of papers,
 * and the papers read for anyone's signals or background so far.
 */
interface VersionPool {
  window: { fromDay: string; toDay: string };
  /** The embedding model the candidates' vectors are of. */
  model: string | null;
  pool: Map<string, Paper>;
  /** Ordered by id, so that a vote that reorders them by upvotes leaves the recommender's feature space as it was. */
  candidates: RecommendPaper[];
  total: number;
  read: Map<string, ReadPaper>;
  /**
   * Background samples by offset, and each followed search's matches among the candidates: kept from the version
   * before while the candidates' texts and vectors (and for samples, the number of papers) are the same, as after
   * a vote or a comment.
   */
  backgrounds: Map<number, Promise<string[]>>;
  topicMatches: Map<string, Promise<Set<string>>>;
}

const versionPools = new WeakMap<Store, Map<string, Promise<VersionPool>>>();
const MAX_VERSION_POOLS = 4;
const MAX_READ_PER_VERSION = 20_000;

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, k) => value === b[k]);
}

function sameVector(a: Float32Array | null, b: Float32Array | null): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  for (let d = 0; d < a.length; d++) if (!Object.is(a[d], b[d])) return false;
  return true;
}

/** The same papers (both ordered by id) with the same texts, names and vectors: what matching and learning see. */
function sameCandidates(a: readonly RecommendPaper[], b: readonly RecommendPaper[]): boolean {
  return (
    a.length === b.length &&
    a.every((paper, k) => {
      const other = b[k];
      return (
        other !== undefined &&
        paper.id === other.id &&
        paper.title === other.title &&
        paper.abstract === other.abstract &&
        paper.organization === other.organization &&
        sameStrings(paper.authors, other.authors) &&
        sameVector(paper.vector, other.vector)
      );
    })
  );
}

/**
 * The candidates' vectors: a paper's vector changes only with its text or the model, so those of the version
 * before are kept for papers whose title and abstract are the same; the others are read.
 */
async function candidateVectors(
  store: Store,
  model: string | null,
  papers: readonly Paper[],
  before: VersionPool | null,
): Promise<Map<string, Float32Array>> {
  if (!model) return new Map();
  const known = new Map(before?.candidates.map((seen) => [seen.id, seen]));
  const vectors = new Map<string, Float32Array>();
  const missing: string[] = [];
  for (const paper of papers) {
    const seen = known.get(paper.id);
    if (seen?.vector && seen.title === paper.title && seen.abstract === paper.abstract)
      vectors.set(paper.id, seen.vector);
    else missing.push(paper.id);
  }
  if (missing.length > 0)
    for (const [id, vector] of await store.vectors.getVectors(model, missing)) vectors.set(id, vector);
  return vectors;
}

async function versionPool(store: Store, window: { fromDay: string; toDay: string }): Promise<VersionPool> {
  const key = `${await store.dataVersion()}|${window.fromDay}|${window.toDay}`;
  let pools = versionPools.get(store);
  if (!pools) {
    pools = new Map();
    versionPools.set(store, pools);
  }
  const found = pools.get(key);
  if (found) return found;
  const earlier = [...pools.values()].at(-1);
  const load = (async (): Promise<VersionPool> => {
    const [recent, total, model, carried] = await Promise.all([
      store.papers.listPapers({ days: window }, { sort: 'upvotes', limit: MAX_CANDIDATES }),
      store.papers.countPapers(),
      store.vectors.embeddingModelName(),
      earlier?.catch(() => null),
    ]);
    const vectors = await candidateVectors(store, model, recent, carried?.model === model ? carried : null);
    const candidates = recent
      .map((paper) => asCandidate(paper, vectors))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const since = Date.now() - VIEW_REUSE_MS;
    const read = new Map([...(carried?.read ?? [])].filter(([, entry]) => entry.at >= since));
    for (const seen of candidates) read.set(seen.id, { seen, at: Date.now() });
    const unchanged =
      carried !== null &&
      carried !== undefined &&
      carried.window.fromDay === window.fromDay &&
      carried.window.toDay === window.toDay &&
      sameCandidates(carried.candidates, candidates);
    return {
      window,
      model,
      pool: new Map(recent.map((paper) => [paper.id, paper])),
      candidates,
      total,
      read,
      backgrounds: unchanged && carried.total === total ? carried.backgrounds : new Map(),
      topicMatches: unchanged ? carried.topicMatches : new Map(),
    };
  })();
  pools.set(key, load);
  load.catch(() => pools.delete(key));
  if (pools.size > MAX_VERSION_POOLS) {
    const oldest = pools.keys().next().value;
    if (oldest !== undefined) pools.delete(oldest);
  }
  return load;
}

/** The recommender's view of papers by id: read once per data version, or carried over from the one before. */
async function readPapers(
  store: Store,
  version: VersionPool,
  ids: string[],
): Promise<Map<string, ReadPaper>> {
  const missing = ids.filter((id) => !version.read.has(id));
  if (missing.length > 0) {
    if (version.read.size + missing.length > MAX_READ_PER_VERSION) version.read.clear();
    const [papers, vectors] = await Promise.all([store.papers.getPapers(missing), vectorsOf(store, missing)]);
    const at = Date.now();
    for (const paper of papers) version.read.set(paper.id, { seen: asCandidate(paper, vectors), at });
  }
  const found = new Map<string, ReadPaper>();
  for (const id of ids) {
    const entry = version.read.get(id);
    if (entry) found.set(id, entry);
  }
  return found;
}

export async function forYou(
  deps: ForYouDeps,
  member: Member,
  options: ForYouOptions,
): Promise<ForYouResult> {
  const { store } = deps;
  const now = options.now ?? new Date();
  const toDay = options.window?.toDay ?? (await store.papers.latestDay());
  if (!toDay) return { items: [], coldStart: true, window: null };
  const window = options.window ?? { fromDay: addDays(toDay, -CANDIDATE_DAYS), toDay };
  const [raw, version] = await Promise.all([
    gatherSignals(store, member, options.tag),
    versionPool(store, window),
  ]);
  const { pool } = version;
  const backgroundIds = await backgroundSample(
    store,
    version,
    sampleOffset(member.id, now.toISOString().slice(0, 10), version.total),
  );
  const read = await readPapers(store, version, [
    ...new Set([...raw.signals.map((signal) => signal.id), ...backgroundIds]),
  ]);
  const signals: PaperSignal[] = [];
  for (const signal of raw.signals) {
    const paper = read.get(signal.id)?.seen;
    if (paper)
      signals.push({ paper, kind: signal.kind, at: signal.at, ...(signal.tags && { tags: signal.tags }) });
  }
  const profile: MemberProfile = {
    signals,
    followedAuthors: raw.authors,
    followedOrganizations: raw.organizations,
    topics: await topicMatches(store, raw.topics, window, version),
  };
  const coldStart =
    !signals.some((signal) => signal.kind !== 'not-interested') &&
    profile.followedAuthors.length + profile.followedOrganizations.length + profile.topics.length === 0;
  const recommendations = deps.recommend({
    profile,
    candidates: version.candidates,
    background: backgroundIds.flatMap((id) => {
      const seen = pool.has(id) ? undefined : read.get(id)?.seen;
      return seen ? [seen] : [];
    }),
    limit: options.limit,
  });
  const items: ForYouItem[] = [];
  for (const recommendation of recommendations) {
    const paper = pool.get(recommendation.id);
    if (paper) items.push({ paper, score: recommendation.score, reasons: recommendation.reasons });
  }
  return { items, coldStart, window };
}
