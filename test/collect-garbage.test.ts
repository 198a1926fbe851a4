import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { getHeapStatistics } from 'node:v8';
import { collectAfterBursts } from '../src/collect-garbage.ts';
import { freeMemoryReleaser } from '../src/store/sqlite/release-free-memory.ts';

test('an idle thread whose heap a burst grew is collected, and what follows a collection runs', {
  timeout: 30_000,
}, async () => {
  // A burst: many short-lived objects, so that V8 holds far more heap than is in use.
  let kept: unknown[] = [];
  for (let round = 0; round < 60; round++) {
    kept = Array.from({ length: 50_000 }, (_, i) => ({ i, text: `paper ${i}` }));
  }
  kept = [];
  const grown = getHeapStatistics().total_heap_size;
  let collections = 0;
  const stop = collectAfterBursts(() => {
    collections += 1;
  });
  try {
    while (collections === 0) await new Promise((done) => setTimeout(done, 100));
    assert.ok(getHeapStatistics().total_heap_size < grown, 'the collection gave heap back');
  } finally {
    stop();
  }
  assert.equal(kept.length, 0);
});

test('garbage a burst promoted to the old generation is collected, though it leaves the heap no slack', {
  timeout: 30_000,
}, () => {
  // A young generation of 1 MB: the burst's objects are promoted at once and V8 counts them as in use until marked.
  const script = `
    import { getHeapStatistics } from 'node:v8';
    const { collectAfterBursts } = await import(${JSON.stringify(new URL('../src/collect-garbage.ts', import.meta.url).href)});
    let collections = 0;
    const stop = collectAfterBursts(() => { collections += 1; });
    let kept = Array.from({ length: 400_000 }, (_, i) => ({ i, text: 'paper ' + i }));
    kept = [];
    const before = getHeapStatistics();
    while (collections === 0) await new Promise((done) => setTimeout(done, 100));
    stop();
    const after = getHeapStatistics();
    console.log(JSON.stringify({ slack: before.total_heap_size - before.used_heap_size, before: before.used_heap_size,
      after: after.used_heap_size, kept: kept.length }));`;
  const output = execFileSync(
    process.execPath,
    ['--max-semi-space-size=1', '--import', 'tsx', '--input-type=module', '--eval', script],
    { encoding: 'utf8', timeout: 25_000 },
  );
  const heap = JSON.parse(output) as { slack: number; before: number; after: number };
  assert.ok(heap.slack < 16 * 2 ** 20, `little slack before (${heap.slack} bytes)`);
  assert.ok(
    heap.after < heap.before - 20 * 2 ** 20,
    `the garbage was collected (${heap.before} → ${heap.after})`,
  );
});

test('the free memory releaser calls into the C library without failing', () => {
  const release = freeMemoryReleaser();
  release();
  release();
});
