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

/**
 * The papers liked since the shared index was built, scored against a candidate one by one: the candidate's sparse
 * part is spread into a buffer as long as the space, which each liked paper's columns read.
 */
function scoresAgainstAdded<T>(
  added: readonly LikedEntry<T>[],
  columns: number,
): (candidate: FeatureVector, best: Closest | null) => Closest | null {
  const spread = new Float64Array(columns);
  return (candidate, best) => {
    const { index, value } = candidate.sparse;
    for (let p = 0; p < index.length; p++) spread[index[p] as number] = value[p] as number;
    for (const entry of added) {
      const liked = entry.x.sparse;
      let score = denseDot(candidate, entry.x);
      for (let p = 0; p < liked.index.length; p++)
        score += (spread[liked.index[p] as number] as number) * (liked.value[p] as number);
      if (score > (best?.score ?? 0)) best = { item: entry.key, score };
    }
    for (let p = 0; p < index.length; p++) spread[index[p] as number] = 0;
    return best;
  };
}

/** Finds, for candidates of one space, the liked paper most like each (null when none is alike at all). */
export function closestLiked<T>(
  space: FeatureSpace,
  liked: readonly LikedEntry<T>[],
): (candidateId: string, x: FeatureVector) => T | null {
  const shared = sharedIndexFor(space, liked);
  const byKey = new Map(liked.map((entry) => [entry.key, entry]));
  const added = liked.filter((entry) => !shared.keys.has(entry.key));
  const withAdded = added.length > 0 ? scoresAgainstAdded(added, space.sparseDimensions) : null;
  return (candidateId, x) => {
    let best = shared.answers.get(candidateId);
    if (best === undefined) {
      best = shared.index.of(x);
      shared.answers.set(candidateId, best);
    }
    if (withAdded) best = withAdded(x, best);
    return best ? (byKey.get(best.item)?.item ?? null) : null;
  };
}
