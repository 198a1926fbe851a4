import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { freePort } from '../scripts/lib/free-port.ts';
import { SemanticIndex } from '../src/search-index/semantic-index.ts';
import { searchPapers } from '../src/services/search-papers.ts';
import { openSqliteStore } from '../src/store/sqlite/index.ts';
import { runCli } from './helpers/cli.ts';
import { FIXTURES, tempDir } from './helpers/temp.ts';

const DIMENSIONS = 64;

/** A bag of words hashed into 64 dimensions: papers sharing words point the same way. */
function embedText(text: string): number[] {
  const vector = new Array<number>(DIMENSIONS).fill(0);
  for (const word of text.toLowerCase().match(/[a-z]{4,}/g) ?? []) {
    const slot = createHash('sha1').update(word).digest()[0] ?? 0;
    vector[slot % DIMENSIONS] = (vector[slot % DIMENSIONS] ?? 0) + 1;
  }
  return vector.map((value, i) => value + (i === 0 ? 0.01 : 0));
}

/** An OpenAI-compatible embeddings endpoint, as a local inference server offers it, and what it was sent. */
const service = {
  answer: 'embeddings' as 'embeddings' | 'garbage',
  authorizations: new Set<string>(),
  requests: 0,
};
let server: Server;
let url: string;
before(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      service.requests++;
      service.authorizations.add(request.headers.authorization ?? '');
      if (request.method !== 'POST' || request.url !== '/v1/embeddings') {
        response.writeHead(404).end('{"error": "not found"}');
        return;
      }
      const { model, input } = JSON.parse(body) as { model: string; input: string[] };
      if (model !== 'bag-of-words') {
        response.writeHead(400).end(`{"error": "unknown model ${model}"}`);
        return;
      }
      if (service.answer === 'garbage') {
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"result": "ok"}');
        return;
      }
      // Listed out of order, as the API allows: the index says which input each one is.
      const data = input.map((text, index) => ({ index, embedding: embedText(text) })).reverse();
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
after(() => {
  server?.close();
});

test('an OpenAI-compatible embedding service replaces the built-in model: every paper, new imports, search', async () => {
  const path = join(tempDir(), 'service.db');
  const env = { DATABASE_URL: path, EMBEDDER_API_KEY: 'key-123' };
  assert.equal((await runCli(['import', 'hf-daily', join(FIXTURES, 'hf/three-days.jsonl.gz')], env)).code, 0);
  const lsa = await runCli(['index', '--embed', '--dimensions', '16'], env);
  assert.equal(lsa.code, 0, lsa.stderr);

  const embed = ['index', '--embed', '--embedder-url', url, '--embedder-model', 'bag-of-words'];
  const first = await runCli(embed, env);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stderr, /embedded 38 papers with http-bag-of-words-64-[0-9a-f]{10}/);
  assert.deepEqual([...service.authorizations], ['Bearer key-123']);

  const again = await runCli(['index', '--embed'], env);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, /every paper already has a vector from http-bag-of-words-64-/);

  const imported = await runCli(['import', 'arxiv-jsonl', join(FIXTURES, 'arxiv/snapshot.jsonl')], env);
  assert.equal(imported.code, 0, imported.stderr);
  assert.match(imported.stderr, /embedded 4 papers with http-bag-of-words-64-/);

  const store = await openSqliteStore(path);
  try {
    const semantic = await SemanticIndex.open(store);
    assert.ok(semantic);
    assert.match(semantic.embedder.model, /^http-bag-of-words-64-/);
    assert.equal(semantic.size, 42, 'the built-in model’s vectors were dropped, the service’s are all there');
    const [paper] = await store.papers.listPapers({}, { limit: 1 });
    assert.ok(paper);
    const found = await searchPapers({ store, semantic }, paper.title, {
      limit: 5,
      offset: 0,
      mode: 'semantic',
    });
    assert.ok(
      found.hits.some((hit) => hit.paper.id === paper.id),
      'a title finds its paper through the service’s vectors',
    );
  } finally {
    await store.close();
  }

  const retrained = await runCli(['index', '--retrain', '--dimensions', '16'], env);
  assert.equal(retrained.code, 0, retrained.stderr);
  assert.match(
    retrained.stderr,
    /embedded 42 papers with lsa-16-/,
    '--retrain goes back to the built-in model',
  );
});

test('a service that is down, answers garbage or rejects the model: a clear error, and the site keeps its vectors', async () => {
  const path = join(tempDir(), 'faults.db');
  const env = { DATABASE_URL: path };
  assert.equal((await runCli(['import', 'hf-daily', join(FIXTURES, 'hf/three-days.jsonl.gz')], env)).code, 0);
  assert.equal((await runCli(['index', '--embed', '--dimensions', '16'], env)).code, 0);

  const down = await runCli(
    [
      'index',
      '--embed',
      '--embedder-url',
      `http://127.0.0.1:${await freePort()}/v1`,
      '--embedder-model',
      'x',
    ],
    env,
  );
  assert.equal(down.code, 1);
  assert.match(down.stderr, /cannot reach the embedding service \(ECONNREFUSED\)/);

  const unknown = await runCli(['index', '--embed', '--embedder-url', url, '--embedder-model', 'nope'], env);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /HTTP 400: \{"error": "unknown model nope"\}/);

  service.answer = 'garbage';
  try {
    const garbage = await runCli(
      ['index', '--embed', '--embedder-url', url, '--embedder-model', 'bag-of-words'],
      env,
    );
    assert.equal(garbage.code, 1);
    assert.match(garbage.stderr, /not an OpenAI-compatible embeddings answer/);
  } finally {
    service.answer = 'embeddings';
  }

  const kept = await runCli(['index', '--embed'], env);
  assert.match(kept.stderr, /every paper already has a vector from lsa-16-/, 'nothing was dropped');

  const alone = await runCli(['index', '--embed', '--embedder-url', url], env);
  assert.notEqual(alone.code, 0);
  assert.match(alone.stderr, /--embedder-url and --embedder-model go together/);
  const badUrl = await runCli(
    ['index', '--embed', '--embedder-url', 'ftp://x', '--embedder-model', 'm'],
    env,
  );
  assert.notEqual(badUrl.code, 0);
  assert.match(badUrl.stderr, /an http\(s\) URL such as/);
  const help = await runCli(['index', '--help']);
  assert.match(help.stdout, /--embedder-url <url>/);
});
