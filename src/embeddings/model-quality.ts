import type { Embedder } from './embedder.ts';

/** Papers a model is checked on: held out of its training, so that it is measured on papers it never saw. */
export const QUALITY_SAMPLE = 1_000;
const RANKS = 10;

/**
 * How well a model finds a paper from its title among the sample's abstracts: the mean reciprocal rank of the
 * paper's own abstract in the first 10 (1 when every title finds its abstract first, 0 when none is in the first
 * 10). A paraphrase task the site's own papers provide, so any model can be compared with any other on them.
 */
export async function titleToAbstractScore(
  embedder: Embedder,
  papers: Array<{ title: string; abstract: string }>,
): Promise<number> {
  if (papers.length === 0) return 0;
  const abstracts = await embedder.embed(papers.map((paper) => paper.abstract));
  const score = await titleScorer(embedder, papers);
  let reciprocal = 0;
  papers.forEach((_, own) => {
    const ownScore = score(own, abstracts[own] as Float32Array);
    let rank = 1;
    for (let other = 0; other < abstracts.length && rank <= RANKS; other++) {
      if (other === own) continue;
      // A tie counts against the paper: a model that sees nothing in a title must not score by luck.
      if (score(own, abstracts[other] as Float32Array) >= ownScore) rank++;
    }
    if (rank <= RANKS) reciprocal += 1 / rank;
  });
  return reciprocal / papers.length;
}

/**
 * How close each title is to an abstract, as search compares a query with a paper: by the title's vector, or by
 * its vector for the abstract's group (Embedder.grouped).
 */
async function titleScorer(
  embedder: Embedder,
  papers: Array<{ title: string }>,
): Promise<(title: number, abstract: Float32Array) => number> {
  const { grouped } = embedder;
  if (!grouped) {
    const titles = await embedder.embed(papers.map((paper) => paper.title));
    return (title, abstract) => cosine(titles[title] as Float32Array, abstract);
  }
  const titles = papers.map((paper) => grouped.queryVectors(paper.title));
  const groups = new Map<Float32Array, number>();
  return (title, abstract) => {
    let group = groups.get(abstract);
    if (group === undefined) {
      group = grouped.groupOf(abstract);
      groups.set(abstract, group);
    }
    let best = Number.NEGATIVE_INFINITY;
    for (const query of titles[title] ?? [])
      if (query.group === group) best = Math.max(best, cosine(query.vector, abstract));
    return best;
  };
}

function cosine(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let d = 0; d < a.length; d++) sum += (a[d] as number) * (b[d] as number);
  return sum;
}
