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
