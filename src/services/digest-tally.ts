/** A digest run's counts, as the run goes: each step returns a new tally. */
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

/** The tally after one digest; a fatal error, or too many deferred in a row, stops the run. */
export function tallyOutcome(tally: Tally, outcome: Outcome, stopAfterDeferred: number): Tally {
  const counts = { ...tally.counts };
  const next: Tally = { ...tally, counts, processed: tally.processed + 1 };
  switch (outcome.status) {
    case 'rendered':
      return { ...next, wouldSend: tally.wouldSend + 1 };
    case 'sent':
      counts.sent++;
      return { ...next, deferredInARow: 0 };
    case 'rejected':
      counts.rejected++;
      return next;
    case 'fatal':
      return { ...next, stopped: 'fatal', fatal: outcome.error };
    case 'deferred': {
      counts.deferred++;
      const deferredInARow = tally.deferredInARow + 1;
      const serverDown = deferredInARow >= stopAfterDeferred && tally.stopped === null;
      return { ...next, deferredInARow, stopped: serverDown ? 'server-unavailable' : tally.stopped };
    }
  }
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
