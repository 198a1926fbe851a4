/** A digest run's workers: each tallies its own digests; they share only when the run stops (`RunStop`). */

import {
  combineTallies,
  countOutcome,
  NO_DIGESTS,
  type Outcome,
  type StopState,
  stopAfter,
  type Tally,
  tallyPlanned,
} from './digest-tally.ts';
import type { DigestProgress } from './digests.ts';

/**
 * Planning's steps, in order: per page the subscribers with nothing new, then the digests to send; when the run
 * stops mid-page, how many of its digests are left.
 */
export type PlanStep<Job> =
  | { kind: 'empty'; count: number }
  | { kind: 'job'; job: Job }
  | { kind: 'left'; count: number };

/**
 * The run's stop state, fed with every digest's outcome in the order they finish, whichever worker sent it (so
 * deferrals in a row count across workers), and read by all of them: no new digest and no retry once stopping.
 */
export class RunStop {
  private state: StopState = { deferredInARow: 0, stopped: null, fatal: null };
  private failed = false;

  constructor(
    private readonly stopAfterDeferred: number,
    private readonly signal: AbortSignal | undefined,
  ) {}

  get stopping(): boolean {
    return this.failed || this.state.stopped !== null || (this.signal?.aborted ?? false);
  }

  after(outcome: Outcome): void {
    this.state = stopAfter(this.state, outcome, this.stopAfterDeferred);
  }

  /** A worker failed (its error ends the run): the others take no new digest. */
  fail(): void {
    this.failed = true;
  }

  /** The state at the end of the run: interrupted, when the signal stopped it and nothing else did. */
  final(): StopState {
    const { deferredInARow, stopped, fatal } = this.state;
    const interrupted = stopped === null && (this.signal?.aborted ?? false);
    return { deferredInARow, stopped: interrupted ? 'interrupted' : stopped, fatal };
  }
}

export interface WorkerResult {
  tally: Tally;
  failure: { error: unknown } | null;
}

/**
 * One worker: takes the next planned step until there are none, and tallies its own. An error ends it and,
 * through `stop`, the others.
 */
export async function runWorker<Job>(
  steps: AsyncGenerator<PlanStep<Job>>,
  outcomeOf: (job: Job) => Promise<Outcome>,
  stop: RunStop,
  report: (mine: Tally) => void,
): Promise<WorkerResult> {
  let mine = NO_DIGESTS;
  try {
    for (let next = await steps.next(); !next.done; next = await steps.next()) {
      const step = next.value;
      if (step.kind !== 'job') {
        mine = tallyPlanned(mine, step);
        continue;
      }
      const outcome = await outcomeOf(step.job);
      stop.after(outcome);
      mine = countOutcome(mine, outcome);
      report(mine);
    }
    return { tally: mine, failure: null };
  } catch (error) {
    stop.fail();
    return { tally: mine, failure: { error } };
  }
}

/**
 * `onProgress` with the whole run's counts: each call of the result makes one worker's reporter, which hands on
 * that worker's latest tally.
 */
export function progressReporter(
  onProgress: ((progress: DigestProgress) => void) | undefined,
): () => (mine: Tally) => void {
  const latest: Tally[] = [];
  return () => {
    const worker = latest.push(NO_DIGESTS) - 1;
    return (mine) => {
      latest[worker] = mine;
      const { processed, counts, wouldSend } = combineTallies(latest, NO_DIGESTS);
      onProgress?.({ processed, sent: counts.sent + wouldSend });
    };
  };
}
