import type { PaperRecord } from '../domain/paper.ts';
import type { LinkField } from '../domain/paper-record-rules.ts';

/** One parsed input record (with the links the import rules dropped from it), or the reason it could not be parsed. */
export type ParsedItem =
  | { ok: true; record: PaperRecord; droppedLinks?: readonly LinkField[] }
  | { ok: false; error: Error };
