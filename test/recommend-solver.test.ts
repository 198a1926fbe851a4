// The recommender's solver and "similar to" search: a warm start and shrinking must not change what is learned,
// and a shared index with papers liked since must answer as a fresh search over all liked papers would.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closestLiked } from '../src/domain/recommend/closest-liked.ts';
import type { RecommendPaper } from '../src/domain/recommend/contract.ts';
import { featureSpace } from '../src/domain/recommend/feature-space.ts';
import { type TrainingExample, trainLinearSvm } from '../src/domain/recommend/linear-svm.ts';
import { dotFeatures, type FeatureVector } from '../src/domain/recommend/sparse-vector.ts';

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const WORDS =
  'alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau'.split(
    ' ',
  );

function papers(count: number, seed: number): RecommendPaper[] {
  const next = random(seed);
  return Array.from({ length: count }, (_, k) => {
    const words = Array.from({ length: 12 }, () => WORDS[Math.floor(next() * WORDS.length)]).join(' ');
    return {
      id: `p${seed}-${k}`,
      title: words.slice(0, 20),
      abstract: words,
      authors: [`Author ${Math.floor(next() * 8)}`],
      organization: null,
      day: '2026-11-20',
      upvotes: 0,
      vector: Float32Array.from({ length: 8 }, () => next() - 0.5),
    };
  });
}

const WEIGHTS = {
  text: 1,
  vector: 0.5,
  authors: 2,
  organization: 0.5,
  maxAuthors: 64,
  maxVectorDimensions: 256,
};

/** The largest spread of projected gradients over every example: the solver's own stopping measure. */
function violation(examples: readonly TrainingExample[], model: ReturnType<typeof trainLinearSvm>): number {
  let highest = Number.NEGATIVE_INFINITY;
  let lowest = Number.POSITIVE_INFINITY;
  examples.forEach((example, i) => {
    const a = model.alpha[i] ?? 0;
    const gradient =
      example.label * (dotFeatures(model.weights, example.x) + model.bias) - 1 + a / (2 * example.cost);
    const projected = a === 0 ? Math.min(gradient, 0) : gradient;
    highest = Math.max(highest, projected);
    lowest = Math.min(lowest, projected);
  });
  return highest - lowest;
}

test('the solver converges on every example, and a warm start reaches the same model in fewer passes', () => {
  const all = papers(300, 7);
  const space = featureSpace(all.slice(0, 200), WEIGHTS);
  const examples: TrainingExample[] = all.map((paper, k) => ({
    x: space.featuresOf(paper),
    label: paper.abstract.startsWith('alpha') || k % 7 === 0 ? 1 : -1,
    cost: 0.05,
  }));
  const dimensions = { dense: space.vectorLength, sparse: space.sparseDimensions };
  const options = { tolerance: 1e-4, maxIterations: 500 };
  const cold = trainLinearSvm(examples, dimensions, options);
  assert.ok(cold.iterations < 500, 'converged before the cap');
  assert.ok(violation(examples, cold) <= 1e-4 * 1.01, 'optimal for the examples it left out too');

  const fewer = examples.slice(0, 290);
  const before = trainLinearSvm(fewer, dimensions, options);
  const start = Float64Array.from(examples, (_, i) => before.alpha[i] ?? 0);
  const warm = trainLinearSvm(examples, dimensions, { ...options, start });
  assert.ok(violation(examples, warm) <= 1e-4 * 1.01);
  assert.ok(warm.iterations < cold.iterations, `${warm.iterations} passes against ${cold.iterations}`);
  for (const paper of all) {
    const x = space.featuresOf(paper);
    const a = dotFeatures(cold.weights, x) + cold.bias;
    const b = dotFeatures(warm.weights, x) + warm.bias;
    assert.ok(Math.abs(a - b) < 0.02, `${paper.id}: ${a} against ${b}`);
  }

  const bad = Float64Array.from(examples, (_, i) => (i % 2 ? Number.NaN : -1));
  const fromBad = trainLinearSvm(examples, dimensions, { ...options, start: bad });
  assert.ok(violation(examples, fromBad) <= 1e-4 * 1.01, 'a start of no use is ignored');
});

test('"similar to": papers liked since a shared index was built answer as a search over all of them', () => {
  const candidates = papers(40, 11);
  const liked = papers(30, 13);
  const space = featureSpace(candidates, WEIGHTS);
  const entry = (paper: RecommendPaper) => ({
    key: `upvote:${paper.id}`,
    item: paper.id,
    x: space.featuresOf(paper),
  });
  const exactDot = (a: FeatureVector, b: FeatureVector) => {
    const columns = new Map(Array.from(b.sparse.index, (column, p) => [column, b.sparse.value[p] ?? 0]));
    let sum = 0;
    a.sparse.index.forEach((column, p) => {
      sum += (a.sparse.value[p] ?? 0) * (columns.get(column) ?? 0);
    });
    let dense = 0;
    a.dense?.forEach((value, d) => {
      dense += value * (b.dense?.[d] ?? 0);
    });
    return sum + dense * a.denseScale * b.denseScale;
  };
  const expected = (paper: RecommendPaper, among: RecommendPaper[]) => {
    let best: string | null = null;
    let bestScore = 0;
    for (const other of among) {
      const score = exactDot(space.featuresOf(paper), space.featuresOf(other));
      if (score > bestScore + 1e-9) [best, bestScore] = [other.id, score];
    }
    return best;
  };
  const first = closestLiked(space, liked.slice(0, 24).map(entry));
  for (const paper of candidates.slice(0, 20))
    assert.equal(first(paper.id, space.featuresOf(paper)), expected(paper, liked.slice(0, 24)), paper.id);
  const later = closestLiked(space, liked.map(entry));
  for (const paper of candidates)
    assert.equal(later(paper.id, space.featuresOf(paper)), expected(paper, liked), paper.id);
  const fewer = closestLiked(space, liked.slice(5).map(entry));
  for (const paper of candidates)
    assert.equal(
      fewer(paper.id, space.featuresOf(paper)),
      expected(paper, liked.slice(5)),
      `${paper.id} after an unlike`,
    );
});
