// Without SMTP_URL mail goes to an outbox folder of .eml files, and the admin page says so; `dailypapers serve`
// sends digests by itself at DIGEST_TIME.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { simpleParser } from 'mailparser';
import { freePort } from '../scripts/lib/free-port.ts';
import { addDays } from '../src/domain/dates.ts';
import { digestPeriod, digestsDue } from '../src/domain/digest-period.ts';
import { NO_TOPICS } from '../src/domain/subscription.ts';
import { openSqliteStore } from '../src/store/sqlite/index.ts';
import { CLI } from './helpers/cli.ts';
import { papersOn, pathOf, Visitor } from './helpers/digests.ts';
import { startSite } from './helpers/site.ts';
import { startSmtpSink } from './helpers/smtp-sink.ts';
import { tempDir } from './helpers/temp.ts';

test('without SMTP_URL: mail is written to the outbox as .eml files, and the admin page says so', async () => {
  const dir = tempDir();
  const outbox = join(dir, 'outbox');
  const site = await startSite({ env: { TRUST_PROXY: '1', MAIL_OUTBOX: outbox } });
  try {
    const visitor = new Visitor(site.url);
    const response = await visitor.postForm('/subscribe', { email: 'box@example.org', frequency: 'daily' });
    assert.equal(response.status, 200);
    const files = readdirSync(outbox).filter((name) => name.endsWith('.eml'));
    assert.equal(files.length, 1);
    const mail = await simpleParser(readFileSync(join(outbox, files[0] as string)));
    assert.equal(mail.subject, 'Confirm your Dailypapers subscription');
    const link = /https?:\/\/\S+\/subscriptions\/confirm\/\S+/.exec(mail.text ?? '')?.[0];
    assert.ok(link);
    assert.equal((await visitor.postForm(pathOf(link), {})).status, 200);
    assert.equal(
      (await site.store.subscriptions.findSubscriptionByEmail('box@example.org'))?.status,
      'active',
    );

    const admin = new Visitor(site.url);
    await site.member(admin, 'boss', { admin: true });
    const page = await (await admin.get('/admin')).text();
    assert.match(page, /Outbox mode/);
    assert.ok(page.includes(outbox), 'names the outbox folder');
    assert.match(page, /set SMTP_URL to send/);
  } finally {
    await site.close();
  }
});

test('the default outbox is next to the database, under data/', async () => {
  const { loadConfig } = await import('../src/config.ts');
  assert.equal(loadConfig({}).mail.outboxDir, 'data/outbox');
  assert.equal(loadConfig({ DATABASE_URL: '/srv/dp/site.db' }).mail.outboxDir, '/srv/dp/outbox');
  assert.equal(
    loadConfig({ BASE_URL: 'https://papers.example.org' }).mail.from,
    'Dailypapers <digest@papers.example.org>',
  );
  assert.throws(
    () => loadConfig({ DIGEST_TIME: '8am' }),
    /DIGEST_TIME="8am": must be a time of day as HH:MM/,
  );
  assert.throws(() => loadConfig({ DIGEST_TIME_ZONE: 'Mars/Olympus' }), /DIGEST_TIME_ZONE/);
  assert.throws(() => loadConfig({ SMTP_URL: 'http://mail' }), /SMTP_URL/);
});

test('`dailypapers serve` sends the digest that is due on its own (scheduler), once', async () => {
  const dir = tempDir();
  const sink = await startSmtpSink();
  const database = join(dir, 'serve.db');
  const now = new Date();
  // Midnight UTC has passed: whatever today is, the weekly digest is due, and the daily one on a weekday.
  const due = digestsDue(now, '00:00', 'UTC');
  const expected = due.map(({ frequency, day }) => digestPeriod(frequency, day).key);
  const store = await openSqliteStore(database);
  const today = now.toISOString().slice(0, 10);
  for (let back = 1; back <= 14; back++)
    await store.papers.writeBatch(papersOn(addDays(today, -back), 2, String(back)));
  for (const { frequency } of due) {
    const subscription = await store.subscriptions.createSubscription(
      { email: `${frequency}@example.org`, frequency, topics: NO_TOPICS, memberId: null },
      now.toISOString(),
    );
    await store.subscriptions.updateSubscription(subscription.id, { status: 'active' }, now.toISOString());
  }
  await store.close();

  const port = await freePort();
  const server = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve', '--port', String(port)], {
    env: {
      ...process.env,
      DATABASE_URL: database,
      SMTP_URL: sink.url,
      LOAD_SAMPLE: 'never',
      DIGEST_TIME: '00:00',
      DIGEST_TIME_ZONE: 'UTC',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  server.stderr.on('data', (chunk) => {
    log += chunk;
  });
  try {
    await sink.waitFor((messages) => messages.length >= expected.length, 30_000);
    const periods = sink.messages.map((mail) => /X-Dailypapers-Period: (\S+)/.exec(mail.raw)?.[1]).sort();
    assert.deepEqual(periods, [...expected].sort());
    assert.match(log, /digests: sent at 00:00 UTC/);
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(sink.messages.length, expected.length, 'once');
  } finally {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
    await sink.close();
  }
});
