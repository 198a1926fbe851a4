// Digest rules without I/O, the send log in SQLite, and mail error classification.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  digestPeriod,
  digestsDue,
  localDay,
  nextDigestTime,
  nextTimeOfDay,
  parsePeriodKey,
  zonedTime,
} from '../src/domain/digest-period.ts';
import {
  pickUnsent,
  rankTopicMatches,
  relativeRelevance,
  shortAbstract,
} from '../src/domain/digest-selection.ts';
import { signToken, verifyToken } from '../src/domain/signed-token.ts';
import { NO_TOPICS, parseSubscriptionForm, topicsKey } from '../src/domain/subscription.ts';
import { classifyMailError } from '../src/mail/mailer.ts';
import { openSqliteStore } from '../src/store/sqlite/index.ts';
import { DuplicateError } from '../src/store/store.ts';
import { tempDir } from './helpers/temp.ts';

test('periods: daily on weekdays covers the listing days since the last one; weekly covers the ISO week before', () => {
  assert.deepEqual(digestPeriod('daily', '2026-11-24'), {
    frequency: 'daily',
    key: 'daily:2026-11-24',
    window: { fromDay: '2026-11-23', toDay: '2026-11-23' },
    label: '2026-11-24',
  });
  // Monday's covers Friday to Sunday.
  assert.deepEqual(digestPeriod('daily', '2026-11-30').window, {
    fromDay: '2026-11-27',
    toDay: '2026-11-29',
  });
  const weekly = digestPeriod('weekly', '2026-11-30');
  assert.equal(weekly.key, 'weekly:2026-W48');
  assert.deepEqual(weekly.window, { fromDay: '2026-11-23', toDay: '2026-11-29' });
  // Any day of the next week names the same week, so a late run never starts another period.
  assert.equal(digestPeriod('weekly', '2026-12-03').key, 'weekly:2026-W48');
  assert.equal(digestPeriod('weekly', '2027-01-04').key, 'weekly:2026-W53');
  assert.deepEqual(parsePeriodKey('weekly:2026-W48'), weekly);
  assert.equal(parsePeriodKey('daily:2026-11-24')?.key, 'daily:2026-11-24');
  assert.equal(parsePeriodKey('daily:2026-02-30'), null);
  assert.equal(parsePeriodKey('hourly:1'), null);
});

test('time of day in a time zone, across daylight-saving changes', () => {
  const zone = 'America/New_York';
  assert.equal(zonedTime('2026-11-24', '08:00', zone).toISOString(), '2026-11-24T13:00:00.000Z');
  assert.equal(zonedTime('2026-07-01', '08:00', zone).toISOString(), '2026-07-01T12:00:00.000Z');
  // 2026-03-08: clocks go 02:00 → 03:00; 2026-11-01: 02:00 → 01:00.
  assert.equal(zonedTime('2026-03-08', '08:00', zone).toISOString(), '2026-03-08T12:00:00.000Z');
  assert.equal(zonedTime('2026-11-01', '08:00', zone).toISOString(), '2026-11-01T13:00:00.000Z');
  assert.equal(zonedTime('2026-11-24', '08:00', 'Asia/Kolkata').toISOString(), '2026-11-24T02:30:00.000Z');
  assert.equal(
    nextTimeOfDay(new Date('2026-11-24T12:59:00Z'), '08:00', zone).toISOString(),
    '2026-11-24T13:00:00.000Z',
  );
  assert.equal(
    nextTimeOfDay(new Date('2026-11-24T13:00:00Z'), '08:00', zone).toISOString(),
    '2026-11-25T13:00:00.000Z',
  );
  assert.equal(localDay(new Date('2026-11-25T03:00:00Z'), zone), '2026-11-24');
});

test('the next digests go out on a weekday: from Friday evening, Saturday or Sunday, Monday morning', () => {
  const zone = 'America/New_York';
  for (const now of ['2026-12-04T13:00:00Z', '2026-12-05T14:00:00Z', '2026-12-06T12:00:00Z']) {
    assert.equal(nextDigestTime(new Date(now), '08:00', zone).toISOString(), '2026-12-07T13:00:00.000Z', now);
  }
  assert.equal(
    nextDigestTime(new Date('2026-12-04T12:59:00Z'), '08:00', zone).toISOString(),
    '2026-12-04T13:00:00.000Z',
    'Friday before the time: that Friday',
  );
});

test('which digests are due: daily on weekdays after the time, the weekly one from Monday on', () => {
  const zone = 'America/New_York';
  const due = (iso: string) =>
    digestsDue(new Date(iso), '08:00', zone).map((entry) => `${entry.frequency}:${entry.day}`);
  assert.deepEqual(due('2026-11-23T12:00:00Z'), [], 'Monday 07:00: not yet');
  assert.deepEqual(due('2026-11-23T13:00:00Z'), ['daily:2026-11-23', 'weekly:2026-11-23']);
  assert.deepEqual(due('2026-11-28T15:00:00Z'), ['weekly:2026-11-23'], 'no daily on Saturday');
  assert.equal(digestPeriod('weekly', '2026-11-23').key, 'weekly:2026-W47');
});

test('signed tokens: purpose, subject and expiry are checked; any change breaks them', () => {
  const secret = 'a-secret-of-enough-length';
  const now = new Date('2026-11-24T12:00:00Z');
  const token = signToken(secret, {
    purpose: 'confirm',
    subject: '42',
    expiresAt: new Date('2026-11-25T00:00:00Z'),
  });
  assert.match(token, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{32}$/);
  assert.deepEqual(verifyToken(secret, token, 'confirm', now), { ok: true, subject: '42' });
  assert.deepEqual(verifyToken(secret, token, 'manage', now), { ok: false, reason: 'invalid' });
  assert.deepEqual(verifyToken('another-secret-entirely', token, 'confirm', now), {
    ok: false,
    reason: 'invalid',
  });
  assert.deepEqual(verifyToken(secret, token, 'confirm', new Date('2026-11-26T00:00:00Z')), {
    ok: false,
    reason: 'expired',
  });
  const [payload, mac] = token.split('.') as [string, string];
  const forged = `${Buffer.from('v1|confirm|43|0').toString('base64url')}.${mac}`;
  assert.equal(verifyToken(secret, forged, 'confirm', now).ok, false);
  assert.equal(verifyToken(secret, `${payload}.${mac.slice(0, -1)}A`, 'confirm', now).ok, false);
  assert.equal(verifyToken(secret, 'garbage', 'confirm', now).ok, false);
  const forever = signToken(secret, { purpose: 'manage', subject: '7', expiresAt: null });
  assert.deepEqual(verifyToken(secret, forever, 'manage', new Date('2099-01-01')), {
    ok: true,
    subject: '7',
  });
});

test('the subscribe form: addresses, frequency and topics are checked field by field', () => {
  assert.deepEqual(
    parseSubscriptionForm({
      email: ' Ada@Example.ORG ',
      frequency: 'weekly',
      queries: 'diffusion; RL\n\ndiffusion',
    }),
    {
      request: {
        email: 'Ada@example.org',
        frequency: 'weekly',
        topics: { queries: ['diffusion', 'RL'], authors: [], organizations: [] },
      },
    },
  );
  const problems = (form: Record<string, string>) => {
    const result = parseSubscriptionForm(form);
    return 'problems' in result ? result.problems : {};
  };
  assert.deepEqual(Object.keys(problems({ email: 'nope' })), ['email']);
  assert.deepEqual(Object.keys(problems({ email: 'a@b' })), ['email']);
  assert.deepEqual(Object.keys(problems({ email: 'a@b.co', frequency: 'monthly' })), ['frequency']);
  assert.deepEqual(Object.keys(problems({ email: 'a@b.co', queries: '???' })), ['queries']);
  assert.deepEqual(
    Object.keys(
      problems({
        email: 'a@b.co',
        authors: Array(12)
          .fill('x')
          .map((x, i) => x + i)
          .join('\n'),
      }),
    ),
    ['authors'],
  );
  assert.equal(
    topicsKey({ queries: ['B', 'a'], authors: [], organizations: [] }),
    topicsKey({ queries: ['A', 'b'], authors: [], organizations: [] }),
  );
  assert.notEqual(topicsKey(NO_TOPICS), topicsKey({ queries: [], authors: ['a'], organizations: [] }));
});

test('selection: relevance × upvotes, already-sent skipped, ten at most; abstracts cut at a word', () => {
  const ranking = rankTopicMatches([
    { id: 'a', upvotes: 0, relevance: 1 },
    { id: 'b', upvotes: 10, relevance: 1 / Math.sqrt(2) },
    { id: 'c', upvotes: 3, relevance: 1 },
  ]);
  assert.deepEqual(ranking, ['b', 'c', 'a']);
  assert.deepEqual(
    relativeRelevance([
      { id: 'x', score: 8 },
      { id: 'y', score: 2 },
    ]),
    [
      { id: 'x', relevance: 1 },
      { id: 'y', relevance: 0.25 },
    ],
  );
  const many = Array.from({ length: 30 }, (_, index) => `p${index}`);
  assert.deepEqual(pickUnsent(many, new Set(['p0', 'p2'])).slice(0, 3), ['p1', 'p3', 'p4']);
  assert.equal(pickUnsent(many, new Set()).length, 10);
  assert.equal(shortAbstract('short  text\n here'), 'short text here');
  const long = shortAbstract(`${'word '.repeat(100)}end`, 50);
  assert.ok(long.length <= 51 && long.endsWith('word…'), long);
});

test('mail errors: 5xx for a recipient is a rejection, 4xx and lost connections are temporary, auth is fatal', () => {
  const error = (fields: Record<string, unknown>) => Object.assign(new Error('x'), fields);
  assert.equal(
    classifyMailError(error({ code: 'EENVELOPE', responseCode: 550, command: 'RCPT TO' })).kind,
    'rejected',
  );
  assert.equal(
    classifyMailError(error({ code: 'EMESSAGE', responseCode: 554, command: 'DATA' })).kind,
    'rejected',
  );
  assert.equal(
    classifyMailError(error({ code: 'EENVELOPE', responseCode: 451, command: 'RCPT TO' })).kind,
    'temporary',
  );
  assert.equal(classifyMailError(error({ code: 'ECONNECTION' })).kind, 'temporary');
  assert.equal(classifyMailError(error({ code: 'ETIMEDOUT' })).kind, 'temporary');
  assert.equal(
    classifyMailError(error({ code: 'EAUTH', responseCode: 535, command: 'AUTH PLAIN' })).kind,
    'fatal',
  );
  assert.equal(
    classifyMailError(error({ code: 'EENVELOPE', responseCode: 553, command: 'MAIL FROM' })).kind,
    'fatal',
  );
});

test('SQLite: subscriptions, the send log and locks', async () => {
  const store = await openSqliteStore(join(tempDir(), 'subscriptions.db'));
  try {
    const now = '2026-11-24T12:00:00.000Z';
    const topics = { queries: ['x'], authors: [], organizations: [] };
    const a = await store.subscriptions.createSubscription(
      { email: 'A@example.org', frequency: 'daily', topics, memberId: null },
      now,
    );
    await assert.rejects(
      store.subscriptions.createSubscription(
        { email: 'a@example.org', frequency: 'weekly', topics: NO_TOPICS, memberId: null },
        now,
      ),
      DuplicateError,
    );
    assert.equal((await store.subscriptions.findSubscriptionByEmail('a@EXAMPLE.org'))?.id, a.id);
    assert.equal(a.status, 'pending');
    assert.deepEqual(
      await store.digests.dueSubscriptions({
        frequency: 'daily',
        period: 'daily:2026-11-24',
        afterId: 0,
        limit: 10,
      }),
      [],
      'pending is not due',
    );
    const active = await store.subscriptions.updateSubscription(a.id, { status: 'active' }, now);
    assert.equal(active.confirmedAt, now);
    const b = await store.subscriptions.createSubscription(
      { email: 'b@example.org', frequency: 'daily', topics: NO_TOPICS, memberId: null },
      now,
    );
    await store.subscriptions.updateSubscription(b.id, { status: 'active' }, now);

    const period = 'daily:2026-11-24';
    await store.digests.claimDigests(
      [
        { subscriptionId: a.id, period, status: 'pending', paperIds: ['1', '2'], messageId: '<m1@x>' },
        { subscriptionId: b.id, period, status: 'empty', paperIds: [], messageId: null },
      ],
      now,
    );
    // Claiming again changes nothing: the first claim's papers and Message-ID stay.
    await store.digests.claimDigests(
      [{ subscriptionId: a.id, period, status: 'pending', paperIds: ['9'], messageId: '<m2@x>' }],
      now,
    );
    const due = await store.digests.dueSubscriptions({ frequency: 'daily', period, afterId: 0, limit: 10 });
    assert.deepEqual(
      due.map((entry) => [entry.subscription.id, entry.claim?.paperIds, entry.claim?.messageId]),
      [[a.id, ['1', '2'], '<m1@x>']],
      'the pending claim is due again with the same content; the empty one is done',
    );
    assert.deepEqual(
      [...((await store.digests.sentPaperIds([a.id, b.id], '2026-01-01')).get(a.id) ?? [])],
      ['1', '2'],
    );
    await store.digests.recordDigestOutcome({ subscriptionId: a.id, period }, { status: 'sent' }, now);
    assert.deepEqual(
      await store.digests.dueSubscriptions({ frequency: 'daily', period, afterId: 0, limit: 10 }),
      [],
    );
    assert.equal((await store.digests.getDigestSend(a.id, period))?.status, 'sent');
    // A late outcome for a digest already marked sent does not undo it.
    await store.digests.recordDigestOutcome(
      { subscriptionId: a.id, period },
      { status: 'pending', error: 'late' },
      now,
    );
    assert.equal((await store.digests.getDigestSend(a.id, period))?.status, 'sent');

    const next = 'daily:2026-11-25';
    await store.digests.claimDigests(
      [{ subscriptionId: b.id, period: next, status: 'pending', paperIds: ['3'], messageId: '<m3@x>' }],
      now,
    );
    await store.digests.recordDigestOutcome(
      { subscriptionId: b.id, period: next },
      { status: 'rejected', error: '550 no such user' },
      now,
    );
    const bounced = await store.subscriptions.getSubscription(b.id);
    assert.equal(bounced?.status, 'bounced');
    assert.equal(bounced?.bounceReason, '550 no such user');

    const counts = await store.subscriptions.countSubscriptions();
    assert.deepEqual(
      counts.map((count) => [count.status, count.frequency, count.topical, count.count]),
      [
        ['active', 'daily', true, 1],
        ['bounced', 'daily', false, 1],
      ],
    );

    const later = '2026-11-24T12:05:00.000Z';
    assert.deepEqual(await store.jobs.tryLock('digest:daily', 'one', later, now), {
      acquired: true,
      holder: 'one',
    });
    assert.deepEqual(await store.jobs.tryLock('digest:daily', 'two', later, now), {
      acquired: false,
      holder: 'one',
    });
    assert.equal(
      (await store.jobs.tryLock('digest:daily', 'two', later, now, 'one')).acquired,
      true,
      'replacing a dead owner',
    );
    assert.equal(
      (await store.jobs.tryLock('digest:daily', 'three', later, '2026-11-24T12:06:00.000Z')).acquired,
      true,
      'expired',
    );
    await store.jobs.releaseLock('digest:daily', 'three');
    assert.equal((await store.jobs.tryLock('digest:daily', 'four', later, now)).acquired, true);

    assert.equal(await store.jobs.ensureSetting('link-secret', 'first'), 'first');
    assert.equal(
      await store.jobs.ensureSetting('link-secret', 'second'),
      'first',
      'generated once, then kept',
    );
  } finally {
    await store.close();
  }
});
