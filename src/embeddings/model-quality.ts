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
  const titles = await embedder.embed(papers.map((paper) => paper.title));
  const abstracts = await embedder.embed(papers.map((paper) => paper.abstract));
  let reciprocal = 0;
  titles.forEach((title, own) => {
    const ownScore = cosine(title, abstracts[own] as Float32Array);
    let rank = 1;
    for (let other = 0; other < abstracts.length && rank <= RANKS; other++) {
      if (other === own) continue;
      const score = cosine(title, abstracts[other] as Float32Array);
      // A tie counts against the paper: a model that sees nothing in a title must not score by luck.
      if (score >= ownScore) rank++;
    }
    if (rank <= RANKS) reciprocal += 1 / rank;
  });
  return reciprocal / papers.length;
}

function cosine(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let d = 0; d < a.length; d++) sum += (a[d] as number) * (b[d] as number);
  return sum;
}
