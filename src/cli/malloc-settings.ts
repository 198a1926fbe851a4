/**
 * glibc's malloc for a web process, as `npm start` and `serve --workers` start one (settings given by hand win).
 * MALLOC_ARENA_MAX: each thread that allocates gets an arena of its own (up to 8 a core), each keeping what was freed
 * in it; at 80k papers 2 left a web process at 404–500 MB after a load against 480–573 MB (a single process with
 * int8 vectors: 405 against 491 MB). MALLOC_MMAP_THRESHOLD_: blocks from 128 KiB on are mapped on their own and
 * unmapped when freed; by default glibc raises that threshold as such blocks are freed (vector pages, term tables,
 * compiler zones), and they then come from the heap and leave it fragmented: at 80k papers 90–120 MB less RSS with
 * it (docs/benchmarks.md, "Memory").
 */
export const MALLOC_SETTINGS = {
  MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2',
  MALLOC_MMAP_THRESHOLD_: process.env.MALLOC_MMAP_THRESHOLD_ ?? '131072',
};
