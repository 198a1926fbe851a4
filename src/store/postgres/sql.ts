/** Advisory lock keys (two-int form): a namespace shared by Dailypapers, then the lock's own number. */
const LOCK_SPACE = 0x64706170; // "dpap"
export const MIGRATION_LOCK = [LOCK_SPACE, 1] as const;
/** Held by every vector writer until it commits: vector seqs then become visible in increasing order. */
export const VECTOR_WRITE_LOCK = [LOCK_SPACE, 2] as const;

/** A COUNT(*) or other bigint as a JavaScript number (node-postgres returns int8 as a string). */
export const toNumber = (value: string | number | null | undefined): number => Number(value ?? 0);
