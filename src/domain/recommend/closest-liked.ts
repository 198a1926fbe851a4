import type { FeatureSpace } from './feature-space.ts';
import { MostSimilar } from './most-similar.ts';
import type { FeatureVector } from './sparse-vector.ts';

/** A liked paper, named by what it is to the member (`upvote:ID`, `save:ID`) and its features. */
export interface LikedEntry<T> {
  key: string;
  item: T;
  x: FeatureVector;
}

/** The liked paper most like a candidate, and how alike they are (a dot product of their features). */
interface Closest {
  /** The liked paper's key. */
  item: string;
  score: number;
}

/**
 * An index of the liked papers a member had at some point, with the answers found in it so far. The models
 * learned after it, while the member only added signals, share it and compare the few papers liked since one by
 * one: a new upvote does not rebuild the index nor ask it again.
 */
interface SharedIndex {
  spaceId: number;
  keys: ReadonlySet<string>;
  index: MostSimilar<string>;
  answers: Map<string, Closest | null>;
}

const sharedIndexes: SharedIndex[] = [];
const MAX_SHARED_INDEXES = 32;
/** Papers liked since the shared index was built, compared one by one; beyond this many, a new index is built. */
const MAX_ADDED = 32;

function sharedIndexFor<T>(space: FeatureSpace, liked: readonly LikedEntry<T>[]): SharedIndex {
  const keys = new Set(liked.map((entry) => entry.key));
  let best: SharedIndex | undefined;
  for (const shared of sharedIndexes) {
    if (shared.spaceId !== space.id || keys.size - shared.keys.size > MAX_ADDED) continue;
    if (best && best.keys.size >= shared.keys.size) continue;
    if ([...shared.keys].every((key) => keys.has(key))) best = shared;
  }
  if (best) return best;
  const built: SharedIndex = {
    spaceId: space.id,
    keys,
    index: new MostSimilar(
      liked.map((entry) => ({ x: entry.x, item: entry.key })),
      space.sparseDimensions,
    ),
    answers: new Map(),
  };
  sharedIndexes.push(built);
  if (sharedIndexes.length > MAX_SHARED_INDEXES) sharedIndexes.shift();
  return built;
}

function denseDot(a: FeatureVector, b: FeatureVector): number {
  const x = a.dense;
  const y = b.dense;
  if (!x || !y || x.length !== y.length) return 0;
  let sum = 0;
  for (let d = 0; d < x.length; d++) sum += (x[d] ?? 0) * (y[d] ?? 0);
  return sum * a.denseScale * b.denseScale;
}

/** A liked paper compared one by one: its sparse part as a column → value map. */
interface AddedEntry<T> extends LikedEntry<T> {
  columns: Map<number, number>;
}

function scoreAgainst<T>(candidate: FeatureVector, added: AddedEntry<T>): number {
  const { index, value } = candidate.sparse;
  let sum = 0;
  for (let p = 0; p < index.length; p++) sum += (value[p] ?? 0) * (added.columns.get(index[p] ?? 0) ?? 0);
  return sum + denseDot(candidate, added.x);
}

/** Finds, for candidates of one space, the liked paper most like each (null when none is alike at all). */
export function closestLiked<T>(
  space: FeatureSpace,
  liked: readonly LikedEntry<T>[],
): (candidateId: string, x: FeatureVector) => T | null {
  const shared = sharedIndexFor(space, liked);
  const byKey = new Map(liked.map((entry) => [entry.key, entry]));
  const added: AddedEntry<T>[] = liked
    .filter((entry) => !shared.keys.has(entry.key))
    .map((entry) => ({
      ...entry,
      columns: new Map(
        Array.from(entry.x.sparse.index, (column, p) => [column, entry.x.sparse.value[p] ?? 0]),
      ),
    }));
  return (candidateId, x) => {
    let best = shared.answers.get(candidateId);
    if (best === undefined) {
      best = shared.index.of(x);
      shared.answers.set(candidateId, best);
    }
    for (const entry of added) {
      const score = scoreAgainst(x, entry);
      if (score > (best?.score ?? 0)) best = { item: entry.key, score };
    }
    return best ? (byKey.get(best.item)?.item ?? null) : null;
  };
}
