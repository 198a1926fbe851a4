import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { SemanticIndex } from '../src/search-index/semantic-index.ts';
import { searchPapers } from '../src/services/search-papers.ts';
import { openSqliteStore } from '../src/store/sqlite/index.ts';
import { runCli } from './helpers/cli.ts';
import { FIXTURES, tempDir } from './helpers/temp.ts';

test('index --embed trains a model once, embeds every paper, resumes, and later imports embed their new papers', async () => {
  const env = { DATABASE_URL: join(tempDir(), 'index.db') };
  const fixture = await runCli(['import', 'hf-daily', join(FIXTURES, 'hf/three-days.jsonl.gz')], env);
  assert.equal(fixture.code, 0, fixture.stderr);

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

test('a bulk import compacts the keyword index itself; index --compact does it on demand', async () => {
  const dir = tempDir();
  const env = { DATABASE_URL: join(dir, 'bulk.db') };
  const snapshot = (first: number, count: number) =>
    Array.from({ length: count }, (_, i) =>
      JSON.stringify({
        id: `2504.${String(first + i).padStart(5, '0')}`,
        authors: 'Ada Lovelace, Alan Turing',
        title: `Heuristic planning study ${first + i}`,
        abstract: `Reinforcement learning with heuristics, variant ${first + i}.`,
        categories: 'cs.LG',
        versions: [{ version: 'v1', created: 'Tue, 1 Apr 2025 10:00:00 GMT' }],
        update_date: '2025-04-01',
      }),
    ).join('\n');
  const bulk = join(dir, 'bulk.jsonl');
  writeFileSync(bulk, snapshot(0, 10_000));
  const loaded = await runCli(['import', 'arxiv-jsonl', bulk], env);
  assert.equal(loaded.code, 0, loaded.stderr);
  assert.match(loaded.stderr, /10,000 new/);
  assert.match(loaded.stderr, /compacted the keyword index/);

  const small = join(dir, 'small.jsonl');
  writeFileSync(small, snapshot(10_000, 20));
  const added = await runCli(['import', 'arxiv-jsonl', small], env);
  assert.equal(added.code, 0, added.stderr);
  assert.doesNotMatch(added.stderr, /compact/, 'a small import leaves the index as it is');

  const compacted = await runCli(['index', '--compact'], env);
  assert.equal(compacted.code, 0, compacted.stderr);
  assert.match(compacted.stderr, /compacted the keyword index/);
  const help = await runCli(['index', '--help'], env);
  assert.match(help.stdout, /--compact/);
});

test('papers delete removes a paper from search (words and meaning) for good; an unknown id is a clear error', async () => {
  const env = { DATABASE_URL: join(tempDir(), 'delete.db') };
  const fixture = await runCli(['import', 'hf-daily', join(FIXTURES, 'hf/three-days.jsonl.gz')], env);
  assert.equal(fixture.code, 0, fixture.stderr);
  const embedded = await runCli(['index', '--embed', '--dimensions', '16'], env);
  assert.equal(embedded.code, 0, embedded.stderr);
  const store = await openSqliteStore(env.DATABASE_URL);
  const [paper] = await store.papers.listPapers({}, { limit: 1 });
  await store.close();
  assert.ok(paper);

  const deleted = await runCli(['papers', 'delete', paper.id, '2501.99999'], env);
  assert.equal(deleted.code, 1);
  assert.match(deleted.stdout, new RegExp(`deleted ${paper.id.replace('.', '\\.')}: `));
  assert.match(deleted.stderr, /no paper 2501\.99999/);

  const reopened = await openSqliteStore(env.DATABASE_URL);
  try {
    assert.equal(await reopened.papers.getPaper(paper.id), null);
    const semantic = await SemanticIndex.open(reopened);
    for (const mode of ['keyword', 'semantic', 'hybrid'] as const) {
      const found = await searchPapers({ store: reopened, semantic }, paper.title, {
        limit: 50,
        offset: 0,
        mode,
      });
      assert.ok(!found.hits.some((hit) => hit.paper.id === paper.id), mode);
    }
  } finally {
    await reopened.close();
  }
});

test('index --measure scores the built-in model again and keeps its vectors; without a model it says so', async () => {
  const env = { DATABASE_URL: join(tempDir(), 'measure.db') };
  const fixture = await runCli(['import', 'hf-daily', join(FIXTURES, 'hf/three-days.jsonl.gz')], env);
  assert.equal(fixture.code, 0, fixture.stderr);
  const none = await runCli(['index', '--measure'], env);
  assert.equal(none.code, 0, none.stderr);
  assert.match(none.stderr, /no built-in embedding model yet/);
  const embedded = await runCli(['index', '--embed', '--dimensions', '16'], env);
  assert.equal(embedded.code, 0, embedded.stderr);
  const read = async () => {
    const store = await openSqliteStore(env.DATABASE_URL);
    try {
      const model = await store.vectors.getEmbeddingModel();
      return { model, toEmbed: model ? await store.vectors.countPapersToEmbed(model.model) : -1 };
    } finally {
      await store.close();
    }
  };
  const before = await read();
  const measured = await runCli(['index', '--measure'], env);
  assert.equal(measured.code, 0, measured.stderr);
  assert.match(measured.stderr, /MRR@10 \d\.\d{3} \(stored before: \d\.\d{3}\); saved/);
  const after = await read();
  assert.equal(after.model?.model, before.model?.model, 'the same model');
  assert.equal(after.toEmbed, 0, 'no vector dropped');
});
