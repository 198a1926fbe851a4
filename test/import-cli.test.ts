import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { runCli } from './helpers/cli.ts';
import { FIXTURES, tempDir } from './helpers/temp.ts';

const dir = tempDir();

function snapshot(path: string): string {
  const db = new Database(path, { readonly: true });
  try {
    return JSON.stringify([
      db.prepare('SELECT * FROM papers ORDER BY id').all(),
      db.prepare('SELECT * FROM paper_authors ORDER BY paper_id, position').all(),
      db.prepare('SELECT * FROM daily_entries ORDER BY paper_id').all(),
    ]);
  } finally {
    db.close();
  }
}

test('import hf-daily then arxiv-jsonl; importing again changes nothing', async () => {
  const database = join(dir, 'idempotent.db');
  const env = { DATABASE_URL: `sqlite:${database}` };
  const hf = join(FIXTURES, 'hf/three-days.jsonl.gz');
  const arxiv = join(FIXTURES, 'arxiv/listings.jsonl.gz');

  let run = await runCli(['import', 'hf-daily', hf], env);
  assert.equal(run.code, 0, run.stderr);
  assert.match(
    run.stderr,
    /three-days\.jsonl\.gz: 38 new, 0 updated, 0 unchanged, 0 bad \(peak memory \d+ MB\)/,
  );
  run = await runCli(['import', 'arxiv-jsonl', arxiv, '--list-on-day'], env);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /20 new/);
  const before = snapshot(database);

  run = await runCli(['import', 'hf-daily', hf], env);
  assert.match(run.stderr, /0 new, 0 updated, 38 unchanged/);
  run = await runCli(['import', 'arxiv-jsonl', arxiv, '--list-on-day'], env);
  assert.match(run.stderr, /0 new, 0 updated, 20 unchanged/);
  assert.equal(snapshot(database), before);
});

test('the real malformed file is rejected: clear message, exit 1, database unchanged', async () => {
  const database = join(dir, 'malformed.db');
  const env = { DATABASE_URL: database };
  await runCli(['import', 'hf-daily', join(FIXTURES, 'hf/daily-papers-response.json')], env);
  const before = snapshot(database);
  const run = await runCli(
    ['import', 'hf-daily', join(FIXTURES, 'hf/hf-daily-papers-malformed-2025-01-10.json')],
    env,
  );
  assert.equal(run.code, 1);
  assert.match(
    run.stderr,
    /^dailypapers: hf-daily-papers-malformed-2025-01-10\.json: line 1: expected a JSON array of daily-paper entries/m,
  );
  assert.match(run.stderr, /nothing was imported from this file \(use --skip-bad/);
  assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace for bad input');
  assert.equal(snapshot(database), before);
});

test('one bad record rejects the whole file; --skip-bad keeps the good ones and lists the bad', async () => {
  const database = join(dir, 'skip-bad.db');
  const env = { DATABASE_URL: database };
  const lines = readFileSync(join(FIXTURES, 'arxiv/listings.jsonl'), 'utf8').trim().split('\n');
  const file = join(dir, 'with-bad-line.jsonl');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(
    file,
    [
      ...lines.slice(0, 30),
      '{"id": "2501.0", "title": "t", "summary": "s", "authors": []}',
      ...lines.slice(30),
    ].join('\n'),
  );

  let run = await runCli(['import', 'arxiv-jsonl', file, '--batch-size', '7'], env);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /with-bad-line\.jsonl: line 31: not an arXiv id: "2501\.0"/);
  const db = new Database(database, { readonly: true });
  assert.equal(db.prepare('SELECT COUNT(*) FROM papers').pluck().get(), 0, 'earlier batches rolled back too');
  db.close();

  run = await runCli(['import', 'arxiv-jsonl', file, '--skip-bad'], env);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /40 new, 0 updated, 0 unchanged, 1 bad/);
  assert.match(run.stderr, /skipped: with-bad-line\.jsonl: line 31/);
});

test('a truncated gzip file: clear error naming the file, nothing imported', async () => {
  const database = join(dir, 'truncated.db');
  const { writeFileSync } = await import('node:fs');
  const whole = readFileSync(join(FIXTURES, 'hf/three-days.jsonl.gz'));
  const file = join(dir, 'cut.jsonl.gz');
  writeFileSync(file, whole.subarray(0, Math.floor(whole.length * 0.8)));
  const run = await runCli(['import', 'hf-daily', file], { DATABASE_URL: database });
  assert.equal(run.code, 1);
  assert.match(run.stderr, /^dailypapers: cut\.jsonl\.gz: not a valid gzip stream: unexpected end of file$/m);
  const db = new Database(database, { readonly: true });
  assert.equal(db.prepare('SELECT COUNT(*) FROM papers').pluck().get(), 0);
  db.close();
});

test('clear errors for a missing file, bad options and bad configuration', async () => {
  let run = await runCli(['import', 'hf-daily', join(dir, 'nope.json')], { DATABASE_URL: join(dir, 'x.db') });
  assert.equal(run.code, 1);
  assert.match(run.stderr, /dailypapers: nope\.json: cannot read \(ENOENT\)|nope\.json: cannot read/);
  run = await runCli([
    'import',
    'hf-daily',
    join(FIXTURES, 'hf/daily-papers-response.json'),
    '--batch-size',
    '0',
  ]);
  assert.notEqual(run.code, 0);
  assert.match(
    run.stderr,
    /option '--batch-size <n>' argument '0' is invalid. must be a positive whole number/,
  );
  run = await runCli(['serve'], { PORT: 'eighty' });
  assert.equal(run.code, 1);
  assert.match(run.stderr, /PORT="eighty": must be a number/);
  run = await runCli(['serve'], { SQLITE_CACHE_MB: '1.5' });
  assert.equal(run.code, 1);
  assert.match(run.stderr, /SQLITE_CACHE_MB="1.5": must be a whole number/);
  run = await runCli(['serve'], { PGVECTOR: 'yes' });
  assert.equal(run.code, 1);
  assert.match(run.stderr, /PGVECTOR="yes": must be "auto" or "off"/);
  run = await runCli(['import', '--help']);
  assert.match(run.stdout, /hf-daily/);
  assert.match(run.stdout, /arxiv-jsonl/);
});
