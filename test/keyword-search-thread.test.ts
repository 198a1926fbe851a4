import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Worker } from 'node:worker_threads';
import { openSqliteStore } from '../src/store/sqlite/index.ts';
import { KeywordSearchThread } from '../src/store/sqlite/keyword-search-thread.ts';
import { tempDir } from './helpers/temp.ts';

async function databaseFile(): Promise<string> {
  const path = join(tempDir(), 'keyword.db');
  await (await openSqliteStore(path)).close();
  return path;
}

const workerOf = (thread: KeywordSearchThread) => (thread as unknown as { worker: Worker }).worker;

// A close that begins as the thread reports ready used to let the waiting checkpoint unref the thread being
// terminated: with nothing else alive the event loop emptied before the thread's exit, and a CLI command ended with
// Node's code 13 (unsettled top-level await) after its work was done.
test('a store closed just as its keyword thread is ready finishes closing', async () => {
  const thread = new KeywordSearchThread({ path: await databaseFile(), cacheMb: 1 });
  const checkpoint = thread.checkpoint();
  const closed = new Promise((resolve) => workerOf(thread).once('message', () => resolve(thread.close())));
  await closed;
  await checkpoint;
});

test('a store closed while its keyword thread starts settles what waited for the thread', async () => {
  const thread = new KeywordSearchThread({ path: await databaseFile(), cacheMb: 1 });
  const checkpoint = thread.checkpoint();
  await thread.close();
  await assert.rejects(checkpoint, /stopped/);
  await assert.rejects(thread.run({ kind: 'texts', term: 'x', limit: 1 }), /closed/);
});

test('a search sent as the store closes is refused, not left waiting', async () => {
  const thread = new KeywordSearchThread({ path: await databaseFile(), cacheMb: 1 });
  await thread.checkpoint();
  const refused = assert.rejects(thread.run({ kind: 'texts', term: 'x', limit: 1 }), /closed/);
  await thread.close();
  await refused;
});

test('a thread that stops when idle gives its thread back, stays up while used, and starts again for the next task', async () => {
  const thread = new KeywordSearchThread({ path: await databaseFile(), cacheMb: 1 }, 150);
  // An idle thread and its stop timer are unref'd (a CLI may exit meanwhile): this keeps the test's loop alive.
  const keepAlive = setInterval(() => {}, 1000);
  try {
    assert.deepEqual(await thread.run({ kind: 'texts', term: 'x', limit: 1 }), []);
    const first = workerOf(thread);
    const exited = new Promise((resolve) => first.once('exit', resolve));
    for (let i = 0; i < 6; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      await thread.run({ kind: 'texts', term: 'x', limit: 1 });
      assert.equal(workerOf(thread), first, 'a thread used every 50 ms does not stop');
    }
    await exited;
    assert.equal(thread.running, false);
    assert.deepEqual(await thread.run({ kind: 'texts', term: 'x', limit: 1 }), []);
    assert.equal(thread.running, true);
    assert.notEqual(workerOf(thread), first);
  } finally {
    clearInterval(keepAlive);
    await thread.close();
  }
});
