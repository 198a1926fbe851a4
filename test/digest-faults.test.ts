// Never twice, never lost: a sender killed mid-run, an SMTP server refusing for a while, a run stopped by an
// outage, and two runs at once. The sender is the real CLI in a child process where it matters.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { NO_TOPICS } from '../src/domain/subscription.ts';
import { openSqliteStore } from '../src/store/sqlite/index.ts';
import type { Store } from '../src/store/store.ts';
import { CLI, runCli } from './helpers/cli.ts';
import { papersOn, runDigests } from './helpers/digests.ts';
import { startSite } from './helpers/site.ts';
import { header, type ReceivedMail, type SmtpSink, startSmtpSink } from './helpers/smtp-sink.ts';
import { tempDir } from './helpers/temp.ts';

const dir = tempDir();
const TUESDAY = '2026-11-24';

async function activeSubscribers(store: Store, count: number, prefix: string): Promise<string[]> {
  const emails: string[] = [];
  const now = new Date().toISOString();
  for (let index = 0; index < count; index++) {
    const email = `${prefix}-${index}@example.org`;
    const subscription = await store.subscriptions.createSubscription(
      { email, frequency: 'daily', topics: NO_TOPICS, memberId: null },
      now,
    );
    await store.subscriptions.updateSubscription(subscription.id, { status: 'active' }, now);
    emails.push(email);
  }
  return emails;
}

function perRecipient(messages: ReceivedMail[]): Map<string, ReceivedMail[]> {
  const out = new Map<string, ReceivedMail[]>();
  for (const mail of messages) for (const to of mail.to) out.set(to, [...(out.get(to) ?? []), mail]);
  return out;
}

async function database(name: string, subscribers: number) {
  const path = join(dir, `${name}.db`);
  const store = await openSqliteStore(path);
  await store.papers.writeBatch(papersOn('2026-11-23', 12));
  const emails = await activeSubscribers(store, subscribers, name);
  return { path, store, emails };
}

/** Starts `dailypapers digest send` in a child process; resolves with its exit code or signal. */
function startSender(env: Record<string, string>) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', CLI, 'digest', 'send', '--period', 'daily', '--date', TUESDAY],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>(
    (resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr })),
  );
  return { child, exited };
}

/** Kills `child` once the send log at `path` holds `accepted` digests sent (or after 30 s). */
async function killOnceRecorded(path: string, accepted: number, child: ChildProcess): Promise<void> {
  const db = new Database(path, { readonly: true });
  try {
    const sent = db.prepare("SELECT count(*) FROM digest_sends WHERE status = 'sent'").pluck();
    for (const started = Date.now(); Date.now() - started < 30_000; await delay(20))
      if ((sent.get() as number) >= accepted) break;
  } finally {
    db.close();
  }
  child.kill('SIGKILL');
}

async function killHalfway(sink: SmtpSink, env: Record<string, string>, half: number, hold: boolean) {
  const sender = startSender(env);
  let killed = false;
  const childGone = sender.exited.then(() => false);
  sink.beforeAccept = () => {
    if (killed) return hold ? childGone : true;
    if (sink.messages.length + 1 < half) return true;
    killed = true;
    if (hold) {
      // Accept this one, then answer nothing more and kill the sender while it waits for its replies, once it has
      // written down every digest accepted (a fixed wait was too short on a loaded machine).
      void killOnceRecorded(env.DATABASE_URL as string, sink.messages.length + 1, sender.child);
    } else {
      // Kill as this "250 OK" goes out: the sender may or may not get to write it down.
      setImmediate(() => sender.child.kill('SIGKILL'));
    }
    return true;
  };
  const first = await sender.exited;
  assert.equal(first.signal, 'SIGKILL', first.stderr);
  // A message the killed sender finished sending may still be parsed: it is judged as the kill left things.
  await sink.idle();
  sink.beforeAccept = undefined;
}

test('a sender killed (SIGKILL) after half of the subscribers resumes: everyone gets exactly one digest', async (t) => {
  const sink = await startSmtpSink();
  const subscribers = 40;
  const { path, store, emails } = await database('killed', subscribers);
  const env = { DATABASE_URL: path, SMTP_URL: sink.url, BASE_URL: 'http://127.0.0.1:9' };
  try {
    await killHalfway(sink, env, subscribers / 2, true);
    const afterKill = sink.messages.length;
    t.diagnostic(`${afterKill} of ${subscribers} delivered before the kill`);
    assert.ok(
      afterKill >= subscribers / 2 && afterKill < subscribers,
      `${afterKill} delivered before the kill`,
    );
    const run = await runCli(['digest', 'send', '--period', 'daily', '--date', TUESDAY], env);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, new RegExp(`${subscribers - afterKill} sent`));

    const received = perRecipient(sink.messages);
    for (const email of emails)
      assert.equal(received.get(email)?.length, 1, `${email} got exactly one digest`);
    assert.equal(sink.messages.length, subscribers);
    const runs = await store.digests.listDigestRuns(5);
    assert.equal(runs[0]?.status, 'finished');
    assert.equal(runs[1]?.status, 'failed', 'the killed run is shown as interrupted');
    assert.match(runs[1]?.note ?? '', /interrupted/);

    // Running again sends nothing: the period is done.
    const again = await runCli(['digest', 'send', '--period', 'daily', '--date', TUESDAY], env);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /nobody was due/);
    assert.equal(sink.messages.length, subscribers);
  } finally {
    await store.close();
    await sink.close();
  }
});

test('killed at the very moment a server accepts: nobody is missed, and a repeat reuses its Message-ID', async (t) => {
  const sink = await startSmtpSink();
  const subscribers = 30;
  const { path, store, emails } = await database('abrupt', subscribers);
  const env = { DATABASE_URL: path, SMTP_URL: sink.url, BASE_URL: 'http://127.0.0.1:9' };
  try {
    await killHalfway(sink, env, subscribers / 2, false);
    const run = await runCli(['digest', 'send', '--period', 'daily', '--date', TUESDAY], env);
    assert.equal(run.code, 0, run.stderr);
    const received = perRecipient(sink.messages);
    let repeats = 0;
    for (const email of emails) {
      const mails = received.get(email) ?? [];
      assert.ok(mails.length >= 1, `${email} got its digest`);
      assert.equal(new Set(mails.map((mail) => header(mail, 'Message-ID'))).size, 1, `${email}: one message`);
      repeats += mails.length - 1;
      if (mails.length > 1) {
        // Only a digest in flight at the kill can repeat: the server accepted it, the sender never read the
        // "250 OK" (the pool keeps at most 2 × 5 digests in flight).
        const index = sink.messages.indexOf(mails[0] as ReceivedMail);
        assert.ok(index >= subscribers / 2 - 10, `${email} repeated, first accepted as #${index + 1}`);
      }
    }
    t.diagnostic(`${sink.messages.length} messages for ${subscribers} subscribers, ${repeats} repeated`);
    assert.ok(repeats <= 10, `${repeats} repeated`);
  } finally {
    await store.close();
    await sink.close();
  }
});

test('an SMTP server refusing for a while (451) is retried with backoff, then every digest is delivered once', async () => {
  const sink = await startSmtpSink();
  const site = await startSite({ env: { SMTP_URL: sink.url }, records: papersOn('2026-11-23', 12) });
  try {
    const emails = await activeSubscribers(site.store, 8, 'refused');
    sink.refuseFor({ count: 20, code: 451 });
    const summary = await runDigests(site, {
      frequency: 'daily',
      day: TUESDAY,
      retry: { attempts: 8, baseDelayMs: 20, maxDelayMs: 200, stopAfterDeferred: 100 },
    });
    assert.equal(sink.refusals, 20);
    assert.equal(summary.sent, 8);
    assert.equal(summary.deferred, 0);
    const received = perRecipient(sink.messages);
    for (const email of emails) assert.equal(received.get(email)?.length, 1, email);
    for (const email of emails) {
      const subscription = await site.store.subscriptions.findSubscriptionByEmail(email);
      assert.ok(subscription);
      assert.equal(
        (await site.store.digests.getDigestSend(subscription.id, `daily:${TUESDAY}`))?.status,
        'sent',
      );
    }
  } finally {
    await site.close();
    await sink.close();
  }
});

test('an outage longer than the retries stops the run; the next run sends exactly the missing ones', async () => {
  const sink = await startSmtpSink();
  const site = await startSite({ env: { SMTP_URL: sink.url }, records: papersOn('2026-11-23', 12) });
  try {
    const emails = await activeSubscribers(site.store, 12, 'outage');
    let accepted = 0;
    sink.beforeAccept = () => {
      accepted++;
      if (accepted === 5) sink.refuseFor({ until: Number.POSITIVE_INFINITY, code: 421 });
      return true;
    };
    const retry = { attempts: 2, baseDelayMs: 10, maxDelayMs: 20, stopAfterDeferred: 3 };
    const first = await runDigests(site, { frequency: 'daily', day: TUESDAY, retry, concurrency: 1 });
    assert.equal(first.sent, 5);
    assert.equal(first.stopped, 'server-unavailable');
    assert.equal(first.deferred, 3);
    assert.match(first.note ?? '', /next run/);
    const runs = await site.store.digests.listDigestRuns(1);
    assert.equal(runs[0]?.status, 'failed');

    sink.refuseFor({});
    const second = await runDigests(site, { frequency: 'daily', day: TUESDAY, retry });
    assert.equal(second.sent, 7);
    const received = perRecipient(sink.messages);
    for (const email of emails) assert.equal(received.get(email)?.length, 1, email);
  } finally {
    await site.close();
    await sink.close();
  }
});

test('two runs of one frequency at once: the second is refused, not doubled', async () => {
  const sink = await startSmtpSink();
  const site = await startSite({ env: { SMTP_URL: sink.url }, records: papersOn('2026-11-23', 12) });
  try {
    await activeSubscribers(site.store, 6, 'lock');
    let release: () => void = () => {};
    const gate = new Promise<boolean>((resolve) => {
      release = () => resolve(true);
    });
    sink.beforeAccept = () => gate;
    const first = runDigests(site, { frequency: 'daily', day: TUESDAY });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await assert.rejects(
      runDigests(site, { frequency: 'daily', day: TUESDAY }),
      /another digest run holds the lock/,
    );
    release();
    sink.beforeAccept = undefined;
    assert.equal((await first).sent, 6);
    assert.equal(sink.messages.length, 6);
  } finally {
    await site.close();
    await sink.close();
  }
});

test('the CLI: --dry-run renders and counts without sending; no daily digest on weekends', async () => {
  const sink = await startSmtpSink();
  const { path, store } = await database('dry', 5);
  const env = { DATABASE_URL: path, SMTP_URL: sink.url };
  try {
    const dry = await runCli(['digest', 'send', '--period', 'daily', '--date', TUESDAY, '--dry-run'], env);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stderr, /daily:2026-11-24 \(dry run\): 5 would be sent/);
    assert.equal(sink.messages.length, 0);
    assert.equal(await store.digests.getDigestSend(1, `daily:${TUESDAY}`), null, 'nothing recorded');
    const weekend = await runCli(['digest', 'send', '--period', 'daily', '--date', '2026-11-28'], env);
    assert.equal(weekend.code, 0);
    assert.match(weekend.stderr, /weekend day/);
    const bad = await runCli(['digest', 'send', '--period', 'hourly'], env);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /Allowed choices are daily, weekly/);
  } finally {
    await store.close();
    await sink.close();
  }
});
