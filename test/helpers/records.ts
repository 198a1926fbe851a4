import type { PaperRecord } from '../../src/domain/paper.ts';

/** A minimal valid record; override what a test cares about. */
export function paperRecord(id: string, overrides: Partial<PaperRecord> = {}): PaperRecord {
  return {
    id,
    source: 'arxiv',
    title: `Paper ${id}`,
    abstract: `Abstract of ${id}.`,
    authors: [
      { name: 'Ada Lovelace', hfId: null, hidden: false },
      { name: 'Alan Turing', hfId: null, hidden: false },
    ],
    categories: ['cs.LG'],
    ...overrides,
  };
}

export function listedOn(day: string, id: string, overrides: Partial<PaperRecord> = {}): PaperRecord {
  return paperRecord(id, { daily: { day, submittedBy: null, submittedAt: null }, ...overrides });
}

export const author = (name: string) => ({ name, hfId: null, hidden: false });

/** Four papers the query-language tests search: title vs abstract words, authors, an organization, categories, days. */
export function searchCorpus(): PaperRecord[] {
  return [
    listedOn('2025-03-03', '2503.00001', {
      title: 'Heuristic Rewards for Reinforcement Learning',
      abstract: 'We shape rewards with simple heuristics.',
      authors: [author('Yann LeCun'), author('Ada Lovelace')],
      categories: ['cs.LG'],
      organization: { name: 'meta', fullName: 'Meta AI', avatarUrl: null },
      importedUpvotes: 10,
    }),
    listedOn('2025-06-10', '2506.00002', {
      title: 'A Survey of Policy Optimization',
      abstract: 'This survey covers reinforcement learning with heuristic exploration.',
      authors: [author('Alan Turing')],
      categories: ['cs.AI', 'stat.ML'],
    }),
    paperRecord('2507.00003', {
      title: 'Diffusion Models for Images',
      abstract: 'Denoising diffusion, no reinforcement here. Learning to learn.',
      authors: [author('Grace Hopper'), author('Yann Lecun-Other')],
      categories: ['cs.CV'],
      publishedAt: '2025-07-20T00:00:00Z',
    }),
    paperRecord('2508.00004', {
      title: 'Quantum Heuristics',
      abstract: 'Heuristic search on quantum hardware.',
      categories: ['quant-ph'],
      publishedAt: '2025-08-01T00:00:00Z',
    }),
  ];
}
