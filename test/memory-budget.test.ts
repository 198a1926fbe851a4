import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../src/config.ts';
import { cacheSizes, DEFAULT_MEMORY_BUDGET_MB } from '../src/memory-budget.ts';

const MIB = 2 ** 20;

test('the caches are shared out of one memory budget', () => {
  assert.deepEqual(cacheSizes(DEFAULT_MEMORY_BUDGET_MB), {
    sqliteMb: 32,
    renderedBytes: 8 * MIB,
    mathBytes: 8 * MIB,
    similarLists: 20_972,
    searchResultBytes: 8 * MIB,
  });
  const half = cacheSizes(128);
  assert.equal(half.sqliteMb, 16);
  assert.equal(half.renderedBytes, 4 * MIB);
});

test('MEMORY_BUDGET_MB sizes the SQLite page caches unless SQLITE_CACHE_MB says otherwise', () => {
  const env = { DATABASE_URL: '/tmp/site.db' };
  const byDefault = loadConfig(env);
  assert.deepEqual(byDefault.database, { kind: 'sqlite', path: '/tmp/site.db', cacheMb: 32 });
  assert.equal(byDefault.caches.renderedBytes, 8 * MIB);
  const small = loadConfig({ ...env, MEMORY_BUDGET_MB: '128' });
  assert.deepEqual(small.database, { kind: 'sqlite', path: '/tmp/site.db', cacheMb: 16 });
  assert.equal(small.caches.mathBytes, 4 * MIB);
  const explicit = loadConfig({ ...env, MEMORY_BUDGET_MB: '128', SQLITE_CACHE_MB: '64' });
  assert.deepEqual(explicit.database, { kind: 'sqlite', path: '/tmp/site.db', cacheMb: 64 });
  assert.equal(loadConfig({ DATABASE_URL: 'postgres://u@h/db' }).database.kind, 'postgres');
});

test('a memory budget that is no whole number of MiB, or too small, is refused by name', () => {
  for (const [value, message] of [
    ['lots', /MEMORY_BUDGET_MB="lots": must be a number of MiB/],
    ['100.5', /MEMORY_BUDGET_MB="100.5": must be a whole number/],
    ['16', /MEMORY_BUDGET_MB="16": must be at least 64/],
    ['-1', /MEMORY_BUDGET_MB="-1": must be at least 64/],
  ] as const)
    assert.throws(
      () => loadConfig({ MEMORY_BUDGET_MB: value }),
      (error) => error instanceof ConfigError && message.test(error.message),
    );
});
