/**
 * SQLite's page cache, filled only as pages are read, is one budget per process (SQLITE_CACHE_MB) shared by its
 * connections: half for the main connection, a quarter for each of the two keyword-search threads. The default keeps
 * them at 32 MiB in all, where they were 512 MiB (256 + 2 × 128) and most of a web process's memory; pages not in
 * it come from the operating system's file cache. At millions of papers a larger budget makes keyword search faster
 * (p50 at 2.7M papers: 18 ms with 2 MiB a connection, 13 ms with 256 MiB, 11 ms with 1 GiB).
 */
export const DEFAULT_CACHE_MB = 32;

/** The share of the process's budget each connection gets. */
export const CACHE_SHARE = { main: 1 / 2, keywordThread: 1 / 4 } as const;

/** The pragma that gives a connection a page cache of `cacheMb` MiB. */
export const cacheSizePragma = (cacheMb: number) =>
  `cache_size = -${Math.max(64, Math.round(cacheMb * 1024))}`;
