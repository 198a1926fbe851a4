import assert from 'node:assert/strict';
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

test('the free memory releaser calls into the C library without failing', () => {
  const release = freeMemoryReleaser();
  release();
  release();
});
