/** What goes into digests of one period: the period's papers, the global ranking and per-topic rankings. */
import type { DigestPeriod } from '../domain/digest-period.ts';
import { rankTopicMatches, relativeRelevance, type TopicCandidate } from '../domain/digest-selection.ts';
import type { Paper } from '../domain/paper.ts';
import { hasText, parseSearchQuery } from '../domain/search-query.ts';
import { type DigestTopics, hasTopics, topicsKey } from '../domain/subscription.ts';
import type { Store } from '../store/store.ts';
import { rememberUnlessFailed } from './promise-cache.ts';
import { listTrending } from './trending.ts';

/** At most this many of a period's papers are considered (a busy week on arXiv lists a few thousand). */
const POOL_LIMIT = 20_000;
/** Matches of one saved search within one period. */
const SEARCH_LIMIT = 2_000;

/**
 * The papers of a period that match one saved search, with their relevance in (0, 1], best first. Uses the site's
 * search (query language and keyword index) restricted to the period; the semantic search can replace this
 * function without touching the digests.
 */
export type TopicMatcher = (
  store: Store,
  query: string,
  period: DigestPeriod,
  pool: ReadonlyMap<string, Paper>,
) => Promise<Array<{ id: string; relevance: number }>>;

export const keywordTopicMatcher: TopicMatcher = async (store, text, period, pool) => {
  const query = parseSearchQuery(text);
  if (query.paperId) return pool.has(query.paperId) ? [{ id: query.paperId, relevance: 1 }] : [];
  const { fromDay, toDay } = period.window;
  const within = {
    ...query,
    after: query.after && query.after > fromDay ? query.after : fromDay,
    before: query.before && query.before < toDay ? query.before : toDay,
  };
  if (within.after > within.before) return [];
  const hits = (await store.papers.keywordSearch(within, SEARCH_LIMIT)).filter((hit) => pool.has(hit.id));
  // A query of filters only (org:, cat:) ranks nothing: every paper it lets through is as relevant.
  return hasText(query) ? relativeRelevance(hits) : hits.map((hit) => ({ id: hit.id, relevance: 1 }));
};

export interface DigestPool {
  period: DigestPeriod;
  papers: ReadonlyMap<string, Paper>;
  /** Every paper of the pool, trending order. */
  global: string[];
}

/** The period's listed papers, ranked by trending as of the end of the period. */
export async function loadDigestPool(store: Store, period: DigestPeriod): Promise<DigestPool> {
  const listed = await store.papers.listPapers(
    { days: { fromDay: period.window.fromDay, toDay: period.window.toDay } },
    { sort: 'upvotes', limit: POOL_LIMIT },
  );
  const papers = new Map(listed.map((paper) => [paper.id, paper]));
  const now = new Date(Date.parse(`${period.window.toDay}T23:59:59.999Z`));
  const trending = await listTrending(store, { limit: POOL_LIMIT, offset: 0, now });
  const global = trending.papers.map((paper) => paper.id).filter((id) => papers.has(id));
  const ranked = new Set(global);
  // Papers trending does not know about (none today, but it is a different query) go last, by upvotes.
  for (const paper of listed) if (!ranked.has(paper.id)) global.push(paper.id);
  return { period, papers, global };
}

const same = (a: string, b: string) => a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0;

/** Rankings per distinct topic set, computed once per run and shared by every subscriber with those topics. */
export class DigestRanker {
  private readonly rankings = new Map<string, Promise<string[]>>();
  private readonly queries = new Map<string, Promise<Array<{ id: string; relevance: number }>>>();

  constructor(
    private readonly store: Store,
    readonly pool: DigestPool,
    private readonly matcher: TopicMatcher = keywordTopicMatcher,
  ) {}

  ranking(topics: DigestTopics): Promise<string[]> {
    if (!hasTopics(topics)) return Promise.resolve(this.pool.global);
    return rememberUnlessFailed(this.rankings, topicsKey(topics), () => this.rankTopics(topics));
  }

  private matches(query: string): Promise<Array<{ id: string; relevance: number }>> {
    return rememberUnlessFailed(this.queries, query.toLowerCase(), () =>
      this.matcher(this.store, query, this.pool.period, this.pool.papers),
    );
  }

  private async rankTopics(topics: DigestTopics): Promise<string[]> {
    const relevance = new Map<string, number>();
    const note = (id: string, value: number) => relevance.set(id, Math.max(relevance.get(id) ?? 0, value));
    for (const query of topics.queries) {
      for (const match of await this.matches(query)) note(match.id, match.relevance);
    }
    if (topics.authors.length + topics.organizations.length > 0) {
      for (const paper of this.pool.papers.values()) {
        const byAuthor = paper.authors.some((author) =>
          topics.authors.some((name) => same(author.name, name)),
        );
        const org = paper.organization;
        const byOrg =
          org !== null &&
          topics.organizations.some(
            (name) => same(org.name, name) || (org.fullName !== null && same(org.fullName, name)),
          );
        if (byAuthor || byOrg) note(paper.id, 1);
      }
    }
    const candidates: TopicCandidate[] = [];
    for (const [id, value] of relevance) {
      const paper = this.pool.papers.get(id);
      if (paper) candidates.push({ id, upvotes: paper.upvotes, relevance: value });
    }
    return rankTopicMatches(candidates);
  }
}
