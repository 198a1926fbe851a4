/**
 * What every member's "For you" reads alike at one data version: the recent papers as candidates (with the
 * recommender's view of them), background samples, followed searches' matches, and the papers read for anyone's
 * signals. Kept per data version, and carried over from the version before while the candidates' texts are the same.
 */
import type { Paper } from '../domain/paper.ts';
import type { RecommendPaper } from '../domain/recommend/contract.ts';
import { sameVector } from '../domain/recommend/feature-space.ts';
import { sameStrings } from '../domain/recommend/paper-features.ts';
import type { Store } from '../store/store.ts';
import { rememberUnlessFailed } from './promise-cache.ts';
import { type HeldPapers, holdPapers, papersOfStamps } from './stamped-papers.ts';

const MAX_CANDIDATES = 1_000;
export const BACKGROUND_SIZE = 100;

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

/** The ids of a background sample: the newest papers from this offset on, read once per data version. */
export function backgroundSample(store: Store, version: VersionPool, offset: number): Promise<string[]> {
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
export interface VersionPool {
  window: { fromDay: string; toDay: string };
  /** The embedding model the candidates' vectors are of. */
  model: string | null;
  pool: ReadonlyMap<string, Paper>;
  /** Each candidate's metadata change time, as read with it. */
  changedAt: ReadonlyMap<string, string>;
  /** When the candidates were last read whole (Date.now()). */
  readAt: number;
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

/**
 * How long candidates read whole are reused across data versions, with fresh counts, while their metadata has not
 * changed: what their change time does not cover (an organization's name, a listing's submitter) shows within this.
 */
const FULL_READ_REUSE_MS = 60_000;

interface WindowPapers extends HeldPapers {
  readAt: number;
}

/**
 * The window's candidates. Every vote makes a new data version: papers read lately are then reused, with their
 * new counts, unless their metadata changed; only new and changed papers are read.
 */
async function windowPapers(
  store: Store,
  window: { fromDay: string; toDay: string },
  before: VersionPool | null,
): Promise<WindowPapers> {
  const stamps = await store.papers.listPaperStamps(
    { days: window },
    { sort: 'upvotes', limit: MAX_CANDIDATES },
  );
  const reusable = before !== null && Date.now() - before.readAt < FULL_READ_REUSE_MS;
  const held = reusable ? { papers: before.pool, changedAt: before.changedAt } : null;
  const papers = await papersOfStamps(store, stamps, held);
  return { ...holdPapers(papers, stamps), readAt: reusable ? before.readAt : Date.now() };
}

export async function versionPool(
  store: Store,
  window: { fromDay: string; toDay: string },
): Promise<VersionPool> {
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
    const [total, model, carried] = await Promise.all([
      store.papers.countPapers(),
      store.vectors.embeddingModelName(),
      earlier?.catch(() => null),
    ]);
    const sameWindow =
      carried?.window.fromDay === window.fromDay && carried.window.toDay === window.toDay ? carried : null;
    const { papers: pool, changedAt, readAt } = await windowPapers(store, window, sameWindow);
    const recent = [...pool.values()];
    const vectors = await candidateVectors(store, model, recent, carried?.model === model ? carried : null);
    const candidates = recent
      .map((paper) => asCandidate(paper, vectors))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const since = Date.now() - VIEW_REUSE_MS;
    const read = new Map([...(carried?.read ?? [])].filter(([, entry]) => entry.at >= since));
    for (const seen of candidates) read.set(seen.id, { seen, at: Date.now() });
    const unchanged = sameWindow !== null && sameCandidates(sameWindow.candidates, candidates);
    return {
      window,
      model,
      pool,
      changedAt,
      readAt,
      candidates,
      total,
      read,
      backgrounds: unchanged && sameWindow.total === total ? sameWindow.backgrounds : new Map(),
      topicMatches: unchanged ? sameWindow.topicMatches : new Map(),
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
export async function readPapers(
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
