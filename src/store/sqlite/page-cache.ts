/**
 * SQLite's page cache, filled only as pages are read, is one budget per process (SQLITE_CACHE_MB) shared by its
 * connections: half for the main connection, a quarter for each of the two keyword-search threads. Most reads hit
 * the operating system's file cache anyway, so a small budget costs little at 80k papers (bench:web measured no
 * difference between 32 MiB and 512 MiB in all) and keeps the web process within 300 MB; at millions of papers a
 * larger one makes keyword search faster (p50 at 2.7M papers: 18 ms with 2 MiB a connection, 13 ms with 256 MiB,
 * 11 ms with 1 GiB).
 */
export const DEFAULT_CACHE_MB = 32;

/** The share of the process's budget each connection gets. */
export const CACHE_SHARE = { main: 1 / 2, keywordThread: 1 / 4 } as const;

/** The pragma that gives a connection a page cache of `cacheMb` MiB. */
export const cacheSizePragma = (cacheMb: number) =>
  `cache_size = -${Math.max(64, Math.round(cacheMb * 1024))}`;
