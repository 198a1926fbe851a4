import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsonBytes } from '../src/web/api/json-bytes.ts';

test('JSON bytes are the bytes of JSON.stringify, arrays written element by element', () => {
  const values: unknown[] = [
    [],
    [1],
    [{ title: 'Über «Transformers» — 𝐀 study', authors: [{ name: 'Zoë' }] }, 'two', null, 3.5],
    // What has no JSON form is null in an array, and a value's toJSON is used.
    [undefined, () => 1, new Date(0), { skipped: undefined }],
    // A hole is written as null, as JSON.stringify does.
    [1, , 3],
    { not: 'an array' },
    'text with \u2028 and "quotes"',
    null,
  ];
  for (const value of values) assert.deepEqual(jsonBytes(value), Buffer.from(JSON.stringify(value)));
  assert.equal(jsonBytes(undefined).toString(), 'null');
});
