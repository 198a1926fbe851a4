import type { PaperRecord } from '../domain/paper.ts';
import type { LinkField } from '../domain/paper-record-rules.ts';

/** One parsed input record (with the links the import rules dropped from it), or the reason it could not be parsed. */
export type ParsedItem =
  | { ok: true; record: PaperRecord; droppedLinks?: readonly LinkField[] }
  | { ok: false; error: Error };

export interface CheckCounts {
  /** Records read and found good. */
  processed: number;
  /** Links the URL policy refused in them. */
  droppedLinks: number;
}

/**
 * An input read twice: checked whole first (stopping at the first bad record), then read again, the same records
 * in the same order, to be written.
 */
export interface CheckableInput {
  check(onProgress: (counts: CheckCounts) => void): Promise<CheckCounts & { bad: Error | null }>;
  read(): AsyncIterable<ParsedItem>;
}
