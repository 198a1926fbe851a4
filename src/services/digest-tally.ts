/**
 * A digest run's counts, as the run goes: each step returns a new tally. Each worker of a run keeps its own
 * counts; only the stop state (`stopAfter`) follows the digests of all workers in the order they finish.
 */
import type { MailError } from '../mail/mailer.ts';
import type { DigestRunCounts } from '../store/digests.ts';

/** Why a run stopped before the end, if it did; what is left goes out with the next run. */
export type StopReason = null | 'interrupted' | 'server-unavailable' | 'fatal';

/** How one digest went. */
export type Outcome =
  | { status: 'rendered' | 'sent' | 'rejected' | 'deferred' }
  | { status: 'fatal'; error: MailError };

/** A run's counts so far. */
export interface Tally {
  counts: DigestRunCounts;
  wouldSend: number;
  /** Subscriptions looked at. */
  processed: number;
  left: number;
  deferredInARow: number;
  stopped: StopReason;
  fatal: MailError | null;
}

export const NO_DIGESTS: Tally = {
  counts: { sent: 0, empty: 0, rejected: 0, deferred: 0 },
  wouldSend: 0,
  processed: 0,
  left: 0,
  deferredInARow: 0,
  stopped: null,
  fatal: null,
};

/** The tally after a planned page: its subscribers with nothing new, or the digests a stopped run left. */
export function tallyPlanned(tally: Tally, step: { kind: 'empty' | 'left'; count: number }): Tally {
  if (step.kind === 'left') return { ...tally, left: tally.left + step.count };
  return {
    ...tally,
    processed: tally.processed + step.count,
    counts: { ...tally.counts, empty: tally.counts.empty + step.count },
  };
}

/** Whether and why a run stops: the part of a tally that counts across all of the run's workers. */
export type StopState = Pick<Tally, 'deferredInARow' | 'stopped' | 'fatal'>;

/** The counts after one digest: processed, and sent, rejected, deferred or would be sent. */
export function countOutcome(tally: Tally, outcome: Outcome): Tally {
  const next: Tally = { ...tally, processed: tally.processed + 1 };
  switch (outcome.status) {
    case 'rendered':
      return { ...next, wouldSend: tally.wouldSend + 1 };
    case 'fatal':
      return next;
    default:
      return { ...next, counts: { ...tally.counts, [outcome.status]: tally.counts[outcome.status] + 1 } };
  }
}

/** The stop state after one digest; a fatal error, or too many deferred in a row, stops the run. */
export function stopAfter(state: StopState, outcome: Outcome, stopAfterDeferred: number): StopState {
  const { deferredInARow, stopped, fatal } = state;
  switch (outcome.status) {
    case 'sent':
      return { deferredInARow: 0, stopped, fatal };
    case 'fatal':
      return { deferredInARow, stopped: 'fatal', fatal: outcome.error };
    case 'deferred': {
      const serverDown = deferredInARow + 1 >= stopAfterDeferred && stopped === null;
      return {
        deferredInARow: deferredInARow + 1,
        stopped: serverDown ? 'server-unavailable' : stopped,
        fatal,
      };
    }
    default:
      return { deferredInARow, stopped, fatal };
  }
}

/** The tally after one digest: its counts and the stop state. */
export function tallyOutcome(tally: Tally, outcome: Outcome, stopAfterDeferred: number): Tally {
  return { ...countOutcome(tally, outcome), ...stopAfter(tally, outcome, stopAfterDeferred) };
}

/** The run's tally: its workers' counts added up, and the stop state they shared. */
export function combineTallies(workers: readonly Tally[], stop: StopState): Tally {
  return workers.reduce(
    (sum, tally) => ({
      ...sum,
      counts: {
        sent: sum.counts.sent + tally.counts.sent,
        empty: sum.counts.empty + tally.counts.empty,
        rejected: sum.counts.rejected + tally.counts.rejected,
        deferred: sum.counts.deferred + tally.counts.deferred,
      },
      wouldSend: sum.wouldSend + tally.wouldSend,
      processed: sum.processed + tally.processed,
      left: sum.left + tally.left,
    }),
    { ...NO_DIGESTS, ...stop },
  );
}

/** What the admin page and the CLI say about how a run ended; null when it sent everything. */
export function runNote(tally: Tally, stopAfterDeferred: number): string | null {
  const { stopped, counts } = tally;
  return stopped === 'fatal'
    ? `stopped: the mail server refused the run (${tally.fatal?.message ?? 'unknown error'}); fix the setup and run again`
    : stopped === 'server-unavailable'
      ? `stopped: ${stopAfterDeferred} digests in a row could not be sent (server unavailable); the rest go out with the next run`
      : stopped === 'interrupted'
        ? 'interrupted; the rest go out with the next run'
        : counts.deferred > 0
          ? `${counts.deferred} digests failed for now; they go out with the next run`
          : null;
}
