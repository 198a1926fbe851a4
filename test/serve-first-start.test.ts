import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { SiteClient } from '../scripts/lib/http-client.ts';
import { LiveSemanticIndex } from '../src/search-index/live-semantic-index.ts';
import { SemanticIndex } from '../src/search-index/semantic-index.ts';
import { searchPapers } from '../src/services/search-papers.ts';
import { openSqliteStore } from '../src/store/sqlite/index.ts';
import { runCli } from './helpers/cli.ts';
import { pageWhen, startServe } from './helpers/serve-process.ts';
import { FIXTURES, tempDir } from './helpers/temp.ts';

const PAPER_LINK = /href="\/papers\/\d{4}\.\d{5}"/g;

test('first start on an empty database lists the sample papers at once; semantic search follows in the background', async () => {
  const site = await startServe([], { DATABASE_URL: join(tempDir(), 'fresh.db') });
  await site.waitFor(/Dailypapers is running/);
  const client = new SiteClient(site.baseUrl);
  const home = await client.get('/');
  assert.equal(home.status, 200);
  const trainedBeforeHome = /semantic search is on/.test(site.output());
  assert.ok(((await home.text()).match(PAPER_LINK)?.length ?? 0) >= 10, 'the sample papers are listed');
  assert.match(site.output(), /loaded 1416 sample papers/);
  if (!trainedBeforeHome) {
    assert.match(
      site.output(),
      /keyword only until the embedding model, training in the background, is ready/,
    );
    const searching = await (await client.get('/search?q=diffusion')).text();
    assert.match(searching, /Search by meaning is being prepared/);
    assert.match(searching, PAPER_LINK, 'keyword results meanwhile');
  }

  await site.waitFor(/search: trained lsa-512-[0-9a-f]+ on 1416 papers/);
  const semantic = await pageWhen(client, '/search?q=diffusion', /matched by (words and )?meaning/);
  assert.doesNotMatch(semantic, /being prepared/);
  assert.ok(!trainedBeforeHome, 'the site answered before the model was trained');
});

test('serve --port names the option when its value is bad', async () => {
  for (const port of ['abc', '70000', '-1', '80x']) {
    const run = await runCli(['serve', '--port', port], { DATABASE_URL: join(tempDir(), 'port.db') });
    assert.equal(run.code, 2, 'a usage error');
    assert.match(
      run.stderr,
      new RegExp(`option '-p, --port <port>' argument '${port}' is invalid. a whole number from 0 to 65535`),
    );
    assert.doesNotMatch(run.stderr, /PORT=/);
  }
});

test('a running server picks up a model trained (and retrained) by another process, once its vectors are written', async () => {
  const database = join(tempDir(), 'live.db');
  const env = { DATABASE_URL: database };
  assert.equal((await runCli(['import', 'hf-daily', join(FIXTURES, 'hf/three-days.jsonl.gz')], env)).code, 0);
  const store = await openSqliteStore(database);
  try {
    const live = await LiveSemanticIndex.open(store);
    assert.equal(live.ready, false);
    assert.equal(live.preparing, false);
    const keywordOnly = await searchPapers({ store, semantic: live }, 'video generation', {
      limit: 10,
      offset: 0,
    });
    assert.ok(keywordOnly.hits.length > 0 && keywordOnly.hits.every((hit) => !hit.semantic));

    // A model with no vectors yet is awaited, not used.
    await store.vectors.setEmbeddingModel('lsa-pending', Buffer.from('not a model'));
    await live.refresh();
    assert.equal(live.ready, false);
    assert.equal(live.preparing, true);

    const trained = await runCli(['index', '--retrain', '--dimensions', '16'], env);
    assert.equal(trained.code, 0, trained.stderr);
    await live.refresh();
    assert.equal(live.ready, true);
    assert.match(live.index?.embedder.model ?? '', /^lsa-16-/);
    const index = live.index;
    assert.ok(index instanceof SemanticIndex, 'an in-process index on SQLite');
    assert.equal(index.size, 38);
    const hybrid = await searchPapers({ store, semantic: live }, 'video generation', {
      limit: 10,
      offset: 0,
    });
    assert.ok(
      hybrid.hits.some((hit) => hit.semantic),
      'semantic matches once the model is ready',
    );

    const retrained = await runCli(['index', '--retrain', '--dimensions', '24'], env);
    assert.equal(retrained.code, 0, retrained.stderr);
    await live.refresh();
    assert.match(live.index?.embedder.model ?? '', /^lsa-24-/, 'the retrained model replaces the old one');
    assert.ok((await live.similar(hybrid.hits[0]?.paper.id as string, 3)).length > 0);
  } finally {
    await store.close();
  }
});
