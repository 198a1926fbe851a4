import type { ListedPaper } from './arxiv-listings.ts';
import { seededRandom, shuffled } from './seeded-random.ts';

/** An author standing in for a member: earlier papers are the signals, later ones what should rank first. */
export interface AuthorMember {
  name: string;
  earlier: ListedPaper[];
  later: Set<string>;
}

export interface EvaluationSplit {
  before: ListedPaper[];
  window: ListedPaper[];
  members: AuthorMember[];
  /** Authors that qualified before sampling. */
  eligible: number;
}

export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/**
 * Papers listed before the cut-off, those listed in the `days` after it, and a seeded sample of the authors with
 * at least `minEarlier` papers before and one or more in the window.
 */
export function splitAtCutoff(
  papers: readonly ListedPaper[],
  options: { cutoff: string; days: number; members: number; minEarlier: number; seed: number },
): EvaluationSplit {
  const end = addDays(options.cutoff, options.days);
  const before = papers.filter((paper) => paper.listedOn < options.cutoff);
  const window = papers.filter((paper) => paper.listedOn >= options.cutoff && paper.listedOn < end);
  const earlier = new Map<string, ListedPaper[]>();
  for (const paper of before)
    for (const name of new Set(paper.authors)) {
      const list = earlier.get(name);
      if (list) list.push(paper);
      else earlier.set(name, [paper]);
    }
  const later = new Map<string, Set<string>>();
  for (const paper of window)
    for (const name of new Set(paper.authors)) {
      if ((earlier.get(name)?.length ?? 0) < options.minEarlier) continue;
      later.set(name, (later.get(name) ?? new Set()).add(paper.id));
    }
  const eligible = [...later.keys()].sort();
  const chosen = shuffled(eligible, seededRandom(options.seed)).slice(0, options.members);
  return {
    before,
    window,
    eligible: eligible.length,
    members: chosen.map((name) => ({
      name,
      earlier: earlier.get(name) ?? [],
      later: later.get(name) ?? new Set(),
    })),
  };
}

/** The paper as a method sees it for this member: the member's name taken out of its authors. */
export function blindTo<T extends { authors: string[] }>(paper: T, name: string): T {
  return paper.authors.includes(name)
    ? { ...paper, authors: paper.authors.filter((a) => a !== name) }
    : paper;
}
