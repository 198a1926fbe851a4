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
} from '../domain/recommend/contract.ts';
import type { Store } from '../store/store.ts';
import { keywordTopicMatcher } from './digest-content.ts';
import {
  BACKGROUND_SIZE,
  backgroundSample,
  readPapers,
  type VersionPool,
  versionPool,
} from './for-you-pool.ts';
import { rememberUnlessFailed } from './promise-cache.ts';

/** Calendar days back from the newest listing day: about 14 listing days. */
const CANDIDATE_DAYS = 20;
const MAX_SIGNALS = 500;

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
