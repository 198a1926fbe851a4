import { createHash } from 'node:crypto';
import type pg from 'pg';

/** Advisory lock keys (two-int form): a namespace shared by Dailypapers, then the lock's own number. */
const LOCK_SPACE = 0x64706170; // "dpap"
export const MIGRATION_LOCK = [LOCK_SPACE, 1] as const;
/** Held by every vector writer until it commits: vector seqs then become visible in increasing order. */
export const VECTOR_WRITE_LOCK = [LOCK_SPACE, 2] as const;

/** A COUNT(*) or other bigint as a JavaScript number (node-postgres returns int8 as a string). */
export const toNumber = (value: string | number | null | undefined): number => Number(value ?? 0);

/**
 * A statement named by its text: node-postgres parses it once per pooled connection, and PostgreSQL may keep its
 * plan, instead of both every time. For statements run on every search or page, whose text takes few shapes.
 */
export function namedStatement(text: string, values: unknown[]): pg.QueryConfig {
  return { name: `dp_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`, text, values };
}
