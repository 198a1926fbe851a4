import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { CLI, runCli } from './helpers/cli.ts';
import { startFakeArxiv } from './helpers/fake-arxiv.ts';
import { tempDir } from './helpers/temp.ts';

const dir = tempDir();
const ALL_IDS = 12;

function readState(database: string): { papers: string[]; cursor: string | null } {
  const db = new Database(database, { readonly: true, fileMustExist: true });
  try {
    const papers = db.prepare('SELECT id FROM papers ORDER BY id').pluck().all() as string[];
    const cursor =
      (db.prepare('SELECT value FROM import_cursors').pluck().get() as string | undefined) ?? null;
    return { papers, cursor };
  } finally {
    db.close();
  }
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if (check()) return;
    } catch {
      // the database may not exist yet
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

test('a harvest killed mid-run resumes at the first page not stored: no gaps, no duplicates', async () => {
  const slow = await startFakeArxiv({ delayMs: 1500 });
  after(() => slow.close());
  const database = join(dir, 'killed.db');
  const args = ['import', 'arxiv-oai', '--base-url', `${slow.url}/oai`, '--set', 'cs'];
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    env: { ...process.env, DATABASE_URL: database },
    stdio: 'ignore',
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  await waitFor(() => readState(database).cursor === 'token-page-2', 'the first page to be committed');
  child.kill('SIGKILL');
  await exited;

  const killed = readState(database);
  assert.equal(killed.papers.length, 4, 'exactly the first page is stored');
  assert.equal(killed.cursor, 'token-page-2');

  const requestsBefore = slow.requests.length;
  const resumed = await runCli(args, { DATABASE_URL: database });
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(
    resumed.stderr,
    /harvest complete \(resumed\): 2 pages, 8 new, 0 updated, 0 unchanged, 1 deleted upstream/,
  );
  assert.deepEqual(slow.requests.slice(requestsBefore), [
    '/oai?verb=ListRecords&resumptionToken=token-page-2',
    '/oai?verb=ListRecords&resumptionToken=token-page-3',
  ]);
  const done = readState(database);
  assert.equal(done.papers.length, ALL_IDS);
  assert.equal(done.cursor, null, 'a finished harvest forgets its token');

  const again = await runCli(args, { DATABASE_URL: database });
  assert.match(again.stderr, /harvest complete: 3 pages, 0 new, 0 updated, 12 unchanged/);
});

test('Ctrl-C finishes the page in hand, keeps its token and says how to resume', async () => {
  const slow = await startFakeArxiv({ delayMs: 1000 });
  after(() => slow.close());
  const database = join(dir, 'interrupted.db');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', CLI, 'import', 'arxiv-oai', '--base-url', `${slow.url}/oai`],
    { env: { ...process.env, DATABASE_URL: database }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  await waitFor(() => readState(database).cursor === 'token-page-2', 'the first page to be committed');
  child.kill('SIGINT');
  assert.equal(await exited, 130);
  assert.match(stderr, /interrupted; run the same command again to resume/);
  const state = readState(database);
  assert.ok(state.cursor === 'token-page-2' || state.cursor === 'token-page-3', String(state.cursor));
  assert.ok(state.papers.length === 4 || state.papers.length === 8);
});

test('a saved token the repository no longer accepts: clear advice to restart', async () => {
  const fake = await startFakeArxiv();
  after(() => fake.close());
  const database = join(dir, 'expired.db');
  const env = { DATABASE_URL: database };
  const args = ['import', 'arxiv-oai', '--base-url', `${fake.url}/oai`];
  const seeded = await runCli(
    ['import', 'arxiv-oai', '--base-url', `${fake.url}/oai`, '--from', '2030-01-01'],
    env,
  );
  assert.equal(seeded.code, 0, seeded.stderr);
  const write = new Database(database);
  write
    .prepare('INSERT INTO import_cursors (key, value) VALUES (?, ?)')
    .run(`oai ${fake.url}/oai set= from= until=`, 'expired-token');
  write.close();
  const run = await runCli(args, env);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /badResumptionToken.*--restart/s);
  const restarted = await runCli([...args, '--restart'], env);
  assert.equal(restarted.code, 0, restarted.stderr);
  assert.match(restarted.stderr, /12 new/);
});
