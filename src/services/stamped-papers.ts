import type { Paper } from '../domain/paper.ts';
import type { PaperStamp } from '../store/papers.ts';
import type { Store } from '../store/store.ts';

/** Papers held from an earlier read, by id, with the metadata change time each was read at. */
export interface HeldPapers {
  papers: ReadonlyMap<string, Paper>;
  changedAt: ReadonlyMap<string, string>;
}

export function holdPapers(papers: readonly Paper[], stamps: readonly PaperStamp[]): HeldPapers {
  return {
    papers: new Map(papers.map((paper) => [paper.id, paper])),
    changedAt: new Map(stamps.map((stamp) => [stamp.id, stamp.changedAt])),
  };
}

/**
 * The papers of `stamps`, in their order, with the stamps' counts: one held from before is reused while its
 * metadata has not changed since (a vote or a comment changes only counts); the others are read. A paper gone
 * since the stamps were listed is left out.
 */
export async function papersOfStamps(
  store: Store,
  stamps: readonly PaperStamp[],
  held: HeldPapers | null,
): Promise<Paper[]> {
  const reused = (stamp: PaperStamp) =>
    held?.changedAt.get(stamp.id) === stamp.changedAt ? held.papers.get(stamp.id) : undefined;
  const read = new Map(
    (await store.papers.getPapers(stamps.filter((stamp) => !reused(stamp)).map((stamp) => stamp.id))).map(
      (paper) => [paper.id, paper],
    ),
  );
  const papers: Paper[] = [];
  for (const stamp of stamps) {
    const paper = reused(stamp) ?? read.get(stamp.id);
    if (!paper) continue;
    papers.push(
      paper.upvotes === stamp.upvotes && paper.numComments === stamp.numComments
        ? paper
        : { ...paper, upvotes: stamp.upvotes, numComments: stamp.numComments },
    );
  }
  return papers;
}
