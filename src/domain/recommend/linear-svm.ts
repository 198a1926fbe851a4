import {
  addScaledFeatures,
  dotFeatures,
  type FeatureVector,
  type FeatureWeightsVector,
  squaredFeatureNorm,
} from './sparse-vector.ts';

export interface TrainingExample {
  x: FeatureVector;
  /** +1 or -1. */
  label: 1 | -1;
  /** This example's C: the penalty of its squared hinge loss. */
  cost: number;
}

export interface SvmOptions {
  /** Stop when the projected gradients' spread falls below this. */
  tolerance: number;
  maxIterations: number;
  /** Seed of the order in which examples are visited. */
  seed?: number;
  /**
   * Dual variables to start from, one per example (e.g. those of a model learned before from mostly the same
   * examples): any values ≥ 0 are a valid start, and close ones take far fewer passes to the same optimum.
   */
  start?: Float64Array;
}

export interface LinearModel {
  weights: FeatureWeightsVector;
  bias: number;
  iterations: number;
  /** The dual variables, one per example, to start a later model from. */
  alpha: Float64Array;
}

/**
 * An L2-regularized linear SVM with squared hinge loss, solved in the dual by coordinate descent (Hsieh et al.,
 * ICML 2008). The bias is a constant feature of value 1, regularized like the weights.
 */
export function trainLinearSvm(
  given: readonly TrainingExample[],
  dimensions: { dense: number; sparse: number },
  options: SvmOptions,
): LinearModel {
  const n = given.length;
  const { examples, columns } = compactColumns(given, dimensions.sparse);
  const weights = { dense: new Float64Array(dimensions.dense), sparse: new Float64Array(columns.length) };
  let bias = 0;
  const alpha = new Float64Array(n);
  if (options.start?.length === n) {
    examples.forEach((example, i) => {
      const a = options.start?.[i] ?? 0;
      if (!(a > 0 && Number.isFinite(a))) return;
      alpha[i] = a;
      addScaledFeatures(weights, example.x, a * example.label);
      bias += a * example.label;
    });
  }
  const diagonal = Float64Array.from(examples, (e) => 1 / (2 * Math.max(e.cost, 1e-12)));
  const q = Float64Array.from(examples, (e, i) => squaredFeatureNorm(e.x) + 1 + (diagonal[i] ?? 0));
  const order = Int32Array.from({ length: n }, (_, i) => i);
  let seed = options.seed ?? 1;
  const random = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
    return seed / 0x80000000;
  };
  let iterations = 0;
  // Shrinking (as LIBLINEAR does): an example at 0 whose gradient is above the last pass's largest is left out of
  // the next passes; once the rest has converged, one pass over all of them confirms it or goes on.
  let active = n;
  let highestBefore = Number.POSITIVE_INFINITY;
  while (iterations < options.maxIterations) {
    iterations++;
    for (let i = active - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const t = order[i] ?? 0;
      order[i] = order[j] ?? 0;
      order[j] = t;
    }
    let highest = Number.NEGATIVE_INFINITY;
    let lowest = Number.POSITIVE_INFINITY;
    for (let o = 0; o < active; o++) {
      const i = order[o] ?? 0;
      const example = examples[i];
      if (!example) continue;
      const a = alpha[i] ?? 0;
      const gradient = example.label * (dotFeatures(weights, example.x) + bias) - 1 + a * (diagonal[i] ?? 0);
      if (a === 0 && gradient > highestBefore) {
        active--;
        order[o] = order[active] ?? 0;
        order[active] = i;
        o--;
        continue;
      }
      const projected = a === 0 ? Math.min(gradient, 0) : gradient;
      if (projected > highest) highest = projected;
      if (projected < lowest) lowest = projected;
      if (Math.abs(projected) < 1e-12) continue;
      const next = Math.max(a - gradient / (q[i] ?? 1), 0);
      const step = (next - a) * example.label;
      alpha[i] = next;
      addScaledFeatures(weights, example.x, step);
      bias += step;
    }
    if (!(highest - lowest > options.tolerance)) {
      if (active === n) break;
      active = n;
      highestBefore = Number.POSITIVE_INFINITY;
      continue;
    }
    highestBefore = highest > 0 ? highest : Number.POSITIVE_INFINITY;
  }
  const sparse = new Float64Array(dimensions.sparse);
  columns.forEach((column, local) => {
    sparse[column] = weights.sparse[local] ?? 0;
  });
  return { weights: { dense: weights.dense, sparse }, bias, iterations, alpha };
}

/**
 * The examples with their sparse columns numbered anew, in the order first met, and each new number's column.
 * The solver reads and writes the weights of every column of an example on each visit: a space's hundreds of
 * thousands of columns spread them over megabytes, the few tens of thousands the examples have fit in a cache.
 */
function compactColumns(
  examples: readonly TrainingExample[],
  total: number,
): { examples: TrainingExample[]; columns: Int32Array } {
  const localOf = new Int32Array(Math.max(total, 0)).fill(-1);
  const columns: number[] = [];
  const compacted = examples.map((example) => {
    const given = example.x.sparse;
    const index = new Int32Array(given.index.length);
    const value = new Float32Array(given.index.length);
    let kept = 0;
    for (let p = 0; p < given.index.length; p++) {
      const column = given.index[p] ?? -1;
      // A column outside the space has no weight: left out, so that every index the solver reads is in range.
      if (!(column >= 0 && column < total)) continue;
      let local = localOf[column] ?? -1;
      if (local < 0) {
        local = columns.length;
        localOf[column] = local;
        columns.push(column);
      }
      index[kept] = local;
      value[kept++] = given.value[p] ?? 0;
    }
    const sparse = { index: index.subarray(0, kept), value: value.subarray(0, kept) };
    return { ...example, x: { ...example.x, sparse } };
  });
  return { examples: compacted, columns: Int32Array.from(columns) };
}
