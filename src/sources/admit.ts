import type { PaperRecord } from '../domain/paper.ts';
import { admitPaperRecord } from '../domain/paper-record-rules.ts';
import type { ParsedItem } from './parsed-item.ts';

/** A parsed record after the import rules (paper-record-rules.ts); throws PaperRecordError for one they refuse. */
export function admittedItem(record: PaperRecord): ParsedItem {
  const admitted = admitPaperRecord(record);
  return { ok: true, record: admitted.record, droppedLinks: admitted.droppedLinks };
}
