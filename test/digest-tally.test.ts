import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MailError } from '../src/mail/mailer.ts';
import {
  NO_DIGESTS,
  type Outcome,
  runNote,
  type Tally,
  tallyOutcome,
  tallyPlanned,
} from '../src/services/digest-tally.ts';

const STOP_AFTER = 3;
const refused = new MailError('535 authentication failed', 'fatal', 535);

/** The tally after these outcomes, in order, from an empty run. */
const after = (...outcomes: Outcome[]): Tally =>
  outcomes.reduce((tally, outcome) => tallyOutcome(tally, outcome, STOP_AFTER), NO_DIGESTS);

const sent: Outcome = { status: 'sent' };
const deferred: Outcome = { status: 'deferred' };
const rejected: Outcome = { status: 'rejected' };

const cases: Array<{ name: string; tally: Tally; expected: Partial<Tally>; note: string | null }> = [
  {
    name: 'sent digests count as sent and processed',
    tally: after(sent, sent),
    expected: { counts: { sent: 2, empty: 0, rejected: 0, deferred: 0 }, processed: 2, stopped: null },
    note: null,
  },
  {
    name: 'a dry run counts what it would send, and sends nothing',
    tally: after({ status: 'rendered' }, { status: 'rendered' }),
    expected: { counts: NO_DIGESTS.counts, wouldSend: 2, processed: 2 },
    note: null,
  },
  {
    name: 'a rejection is counted and does not break a run of deferrals',
    tally: after(deferred, rejected, deferred),
    expected: { counts: { sent: 0, empty: 0, rejected: 1, deferred: 2 }, deferredInARow: 2, stopped: null },
    note: '2 digests failed for now; they go out with the next run',
  },
  {
    name: 'a sent digest resets the deferrals in a row',
    tally: after(deferred, deferred, sent, deferred, deferred),
    expected: { deferredInARow: 2, stopped: null },
    note: '4 digests failed for now; they go out with the next run',
  },
  {
    name: 'too many deferrals in a row stop the run: the server is unavailable',
    tally: after(deferred, deferred, deferred),
    expected: { deferredInARow: 3, stopped: 'server-unavailable' },
    note: 'stopped: 3 digests in a row could not be sent (server unavailable); the rest go out with the next run',
  },
  {
    name: 'a fatal error stops the run and is kept for the note',
    tally: after(sent, { status: 'fatal', error: refused }),
    expected: { stopped: 'fatal', fatal: refused, processed: 2 },
    note: 'stopped: the mail server refused the run (535 authentication failed); fix the setup and run again',
  },
  {
    name: 'a fatal error outranks an unavailable server',
    tally: after(deferred, deferred, deferred, { status: 'fatal', error: refused }),
    expected: { stopped: 'fatal' },
    note: 'stopped: the mail server refused the run (535 authentication failed); fix the setup and run again',
  },
  {
    name: 'deferrals after a fatal error keep it as the reason',
    tally: after({ status: 'fatal', error: refused }, deferred, deferred, deferred),
    expected: { stopped: 'fatal', deferredInARow: 3 },
    note: 'stopped: the mail server refused the run (535 authentication failed); fix the setup and run again',
  },
  {
    name: 'subscribers with nothing new count as empty and processed; left digests as left',
    tally: tallyPlanned(tallyPlanned(after(sent), { kind: 'empty', count: 4 }), { kind: 'left', count: 7 }),
    expected: { counts: { sent: 1, empty: 4, rejected: 0, deferred: 0 }, processed: 5, left: 7 },
    note: null,
  },
  {
    name: 'an interrupted run says the rest go out with the next one',
    tally: { ...after(sent), stopped: 'interrupted' },
    expected: { stopped: 'interrupted' },
    note: 'interrupted; the rest go out with the next run',
  },
];

for (const { name, tally, expected, note } of cases) {
  test(`digest tally: ${name}`, () => {
    for (const [field, value] of Object.entries(expected))
      assert.deepEqual(tally[field as keyof Tally], value, field);
    assert.equal(runNote(tally, STOP_AFTER), note);
  });
}

test('digest tally: each step returns a new tally and leaves the one before as it was', () => {
  const before = after(sent);
  const copy = structuredClone(before);
  tallyOutcome(before, deferred, STOP_AFTER);
  tallyPlanned(before, { kind: 'empty', count: 2 });
  assert.deepEqual(before, copy);
  assert.deepEqual(NO_DIGESTS.counts, { sent: 0, empty: 0, rejected: 0, deferred: 0 });
});
