// arxiv-sanity-lite's ranking, rebuilt from its description for eval:recommend: compute.py's TF-IDF (words and
// bigrams of title, abstract and author names; English stop words; sublinear tf, smooth idf, l2; min_df 5,
// max_df 0.1, the 20,000 most frequent terms) and serve.py's per-tag linear SVM (squared hinge, C = 0.01,
// class_weight "balanced") trained on every paper in the database, tagged papers positive, all others negative.
import { eng as englishStopWords } from 'stopword';
import { type LinearModel, trainLinearSvm } from '../../src/domain/recommend/linear-svm.ts';
import { dotDense, type FeatureVector, type SparseVector } from '../../src/domain/recommend/sparse-vector.ts';

const STOP_WORDS = new Set(englishStopWords);

export interface SanityDocument {
  title: string;
  abstract: string;
  authors: string[];
}

/** Lower-cased words without accents (a letter or _ then letters, digits or _), stop words out, then bigrams. */
export function sanityTerms(document: SanityDocument): string[] {
  const text = `${document.title} ${document.abstract} ${document.authors.join(' ')}`
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase();
  const words = (text.match(/\b[a-z_][a-z0-9_]+\b/g) ?? []).filter((word) => !STOP_WORDS.has(word));
  const terms = [...words];
  for (let k = 1; k < words.length; k++) terms.push(`${words[k - 1]} ${words[k]}`);
  return terms;
}

export interface SanityOptions {
  maxFeatures: number;
  minDf: number;
  maxDf: number;
}

export const SANITY_DEFAULTS: SanityOptions = { maxFeatures: 20_000, minDf: 5, maxDf: 0.1 };

/** The vocabulary and idf fitted on a corpus; `vectorize` gives a document's l2-normalized TF-IDF. */
export class SanityTfidf {
  private readonly column = new Map<string, number>();
  private readonly idf: Float64Array;

  constructor(corpus: readonly SanityDocument[], options: SanityOptions = SANITY_DEFAULTS) {
    const df = new Map<string, number>();
    const tf = new Map<string, number>();
    for (const document of corpus) {
      const terms = sanityTerms(document);
      for (const term of terms) tf.set(term, (tf.get(term) ?? 0) + 1);
      for (const term of new Set(terms)) df.set(term, (df.get(term) ?? 0) + 1);
    }
    const n = corpus.length;
    const kept = [...df]
      .filter(([, count]) => count >= options.minDf && count <= options.maxDf * n)
      .map(([term]) => term)
      .sort((a, b) => (tf.get(b) ?? 0) - (tf.get(a) ?? 0) || (a < b ? -1 : 1))
      .slice(0, options.maxFeatures)
      .sort();
    kept.forEach((term, index) => this.column.set(term, index));
    this.idf = Float64Array.from(kept, (term) => Math.log((1 + n) / (1 + (df.get(term) ?? 0))) + 1);
  }

  get dimensions(): number {
    return this.idf.length;
  }

  vectorize(document: SanityDocument): SparseVector {
    const counts = new Map<number, number>();
    for (const term of sanityTerms(document)) {
      const index = this.column.get(term);
      if (index !== undefined) counts.set(index, (counts.get(index) ?? 0) + 1);
    }
    const entries = [...counts].sort((a, b) => a[0] - b[0]);
    const value = Float32Array.from(
      entries,
      ([index, count]) => (1 + Math.log(count)) * (this.idf[index] ?? 0),
    );
    const norm = Math.hypot(...value) || 1;
    for (let p = 0; p < value.length; p++) value[p] = (value[p] ?? 0) / norm;
    return { index: Int32Array.from(entries, ([index]) => index), value };
  }
}

/**
 * serve.py's svm_rank: every document is an example, the member's positive. LinearSVC's defaults: squared hinge,
 * an intercept regularized like the weights, tol 1e-6, at most 10,000 iterations.
 */
export function sanitySvm(
  documents: readonly SparseVector[],
  positive: ReadonlySet<number>,
  dimensions: number,
  c = 0.01,
): LinearModel {
  const n = documents.length;
  const positives = positive.size;
  // class_weight="balanced": n / (classes · count of the class).
  const positiveCost = (c * n) / (2 * positives);
  const negativeCost = (c * n) / (2 * (n - positives));
  return trainLinearSvm(
    documents.map((x, k) =>
      positive.has(k)
        ? { x: sparseOnly(x), label: 1, cost: positiveCost }
        : { x: sparseOnly(x), label: -1, cost: negativeCost },
    ),
    { dense: 0, sparse: dimensions },
    { tolerance: 1e-6, maxIterations: 10_000 },
  );
}

function sparseOnly(sparse: SparseVector): FeatureVector {
  return { dense: null, denseScale: 0, sparse };
}

export function decision(model: LinearModel, x: SparseVector): number {
  return dotDense(model.weights.sparse, x) + model.bias;
}
