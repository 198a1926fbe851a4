import type { PaperRecord } from '../domain/paper.ts';

/** One parsed input record, or the reason it could not be parsed. */
export type ParsedItem = { ok: true; record: PaperRecord } | { ok: false; error: Error };
