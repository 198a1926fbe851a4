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
  const score = await titleScorer(embedder, papers, abstracts);
  let reciprocal = 0;
  papers.forEach((_, own) => {
    const ownScore = score(own, own);
    let rank = 1;
    for (let other = 0; other < abstracts.length && rank <= RANKS; other++) {
      if (other === own) continue;
      // A tie counts against the paper: a model that sees nothing in a title must not score by luck.
      if (score(own, other) >= ownScore) rank++;
    }
    if (rank <= RANKS) reciprocal += 1 / rank;
  });
  return reciprocal / papers.length;
}

/**
 * How close title i is to abstract j, as search compares a query with a paper: by the title's vector, or by its
 * vector for the abstract's group (Embedder.grouped).
 */
async function titleScorer(
  embedder: Embedder,
  papers: Array<{ title: string }>,
  abstracts: Float32Array[],
): Promise<(title: number, abstract: number) => number> {
  const { grouped } = embedder;
  if (!grouped) {
    const titles = await embedder.embed(papers.map((paper) => paper.title));
    return (title, abstract) => cosine(titles[title] as Float32Array, abstracts[abstract] as Float32Array);
  }
  const titles = papers.map((paper) => grouped.queryVectors(paper.title));
  const groups = abstracts.map((vector) => grouped.groupOf(vector));
  return (title, abstract) => {
    let best = Number.NEGATIVE_INFINITY;
    for (const query of titles[title] ?? [])
      if (query.group === groups[abstract])
        best = Math.max(best, cosine(query.vector, abstracts[abstract] as Float32Array));
    return best;
  };
}

function cosine(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let d = 0; d < a.length; d++) sum += (a[d] as number) * (b[d] as number);
  return sum;
}
