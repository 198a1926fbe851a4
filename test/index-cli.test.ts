import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from './helpers/cli.ts';
import { FIXTURES, tempDir } from './helpers/temp.ts';

test('index --embed trains a model once, embeds every paper, resumes, and later imports embed their new papers', async () => {
  const env = { DATABASE_URL: join(tempDir(), 'index.db') };
  assert.equal((await runCli(['import', 'hf-daily', join(FIXTURES, 'hf/three-days.jsonl.gz')], env)).code, 0);

  const first = await runCli(['index', '--embed', '--dimensions', '16'], env);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stderr, /trained lsa-16-[0-9a-f]{10}/);
  assert.match(first.stderr, /embedded 38 papers/);

  const again = await runCli(['index', '--embed'], env);
  assert.equal(again.code, 0);
  assert.match(again.stderr, /every paper already has a vector/);

  const imported = await runCli(['import', 'arxiv-jsonl', join(FIXTURES, 'arxiv/snapshot.jsonl')], env);
  assert.equal(imported.code, 0, imported.stderr);
  assert.match(imported.stderr, /embedded 4 papers with lsa-16-/);

  const bad = await runCli(['index', '--embed', '--dimensions', '5'], env);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /a whole number from 8 to 1024/);
});
