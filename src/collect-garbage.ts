import { performance } from 'node:perf_hooks';
import { getHeapSpaceStatistics, getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * One full garbage collection, now. Start-up reads the embedding model (86 MB at 80k papers) and every paper's
 * vector into buffers that are garbage a moment later, but V8 may leave them unreclaimed for minutes: at 80k
 * papers an idle server held some 90 MB more than after one collection (docs/benchmarks.md, "Memory"). Node
 * exposes `gc` only to contexts made after `--expose-gc` is set, hence the new context.
 */
export function collectGarbage(): void {
  exposedGc ??= exposeGc();
  exposedGc();
}

let exposedGc: (() => void) | undefined;

function exposeGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** How often an idle thread looks at its heap, at first; twice as long after each collection that left it large. */
const CHECK_MS = 1_000;
const MAX_CHECK_MS = 64_000;
/** Below this share of the time running, the thread is idle (a burst of requests or searches is over). */
const IDLE_UTILIZATION = 0.05;
/** Heap that V8 holds beyond what is in use, worth a collection to give back. */
const SLACK_BYTES = 16 * 2 ** 20;

/**
 * Gives back the heap a burst of work grew, once the thread is idle: V8 keeps what it grew to (at 80k papers the
 * server's heap went from 41 to 116 MB over a load, 72 MB of it in use, and stayed there; each keyword-search thread's
 * from 6 to 23 MB) until allocation resumes, so an idle server held it. While the thread is idle, a full collection
 * when its heap holds more than SLACK_BYTES beyond what is in use, or when the old generation's use grew by as much since
 * the last collection (V8 counts garbage not yet marked as in use: a burst's promoted garbage leaves no slack). V8 shrinks
 * its young generation only at a collection after some seconds of little allocation, so it may take a few; each that
 * leaves the heap large doubles the wait before the next, so that a heap V8 keeps large costs a collection a minute at
 * most. `afterCollection` runs after each (the web process gives malloc's free pages back then). Returns a function
 * that stops it. Docs/benchmarks.md, "Memory".
 */
export function collectAfterBursts(afterCollection: () => void = () => {}): () => void {
  let wait = CHECK_MS;
  let last = performance.eventLoopUtilization();
  let timer: NodeJS.Timeout;
  let oldAfter = oldGeneration();
  const check = () => {
    const now = performance.eventLoopUtilization();
    const busy = performance.eventLoopUtilization(now, last).utilization > IDLE_UTILIZATION;
    last = now;
    if (busy) wait = CHECK_MS;
    else if (slack() >= SLACK_BYTES || oldGeneration() - oldAfter >= SLACK_BYTES) {
      collectGarbage();
      afterCollection();
      oldAfter = oldGeneration();
      wait = slack() >= SLACK_BYTES ? Math.min(wait * 2, MAX_CHECK_MS) : CHECK_MS;
    }
    timer = setTimeout(check, wait).unref();
  };
  timer = setTimeout(check, wait).unref();
  return () => clearTimeout(timer);
}

function slack(): number {
  const heap = getHeapStatistics();
  return heap.total_heap_size - heap.used_heap_size;
}

/** Bytes in use outside the young generation, whose garbage only a full collection finds. */
function oldGeneration(): number {
  let bytes = 0;
  for (const space of getHeapSpaceStatistics())
    if (!space.space_name.startsWith('new_')) bytes += space.space_used_size;
  return bytes;
}
