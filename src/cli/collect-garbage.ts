import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * One full garbage collection, now. Start-up reads the embedding model (86 MB at 80k papers) and every paper's
 * vector into buffers that are garbage a moment later, but V8 may leave them unreclaimed for minutes: at 80k
 * papers an idle server held some 90 MB more than after one collection (docs/benchmarks.md, "Memory"). Node
 * exposes `gc` only to contexts made after `--expose-gc` is set, hence the new context.
 */
export function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}
