import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readHfDaily } from '../src/sources/hf-daily.ts';
import { SourceRecordError } from '../src/sources/record-error.ts';
import { collect } from './helpers/collect.ts';
import { FIXTURES, sharedData, tempDir } from './helpers/temp.ts';

test('JSONL of days (gzipped): every entry becomes a record with every field we keep', async () => {
  const { records, errors } = await collect(readHfDaily, join(FIXTURES, 'hf/three-days.jsonl.gz'));
  assert.equal(errors.length, 0);
  assert.equal(records.length, 38);
  const first = records[0];
  assert.ok(first);
  assert.equal(first.source, 'huggingface');
  assert.match(first.id, /^\d{4}\.\d{5}$/);
  assert.equal(first.daily?.day, '2026-04-30');
  assert.ok(!first.title.includes('\n'), 'titles are unwrapped');
  assert.ok(first.authors.length > 0 && first.authors.every((author) => author.name));
  assert.ok(records.some((record) => record.authors.some((author) => author.hfId)));
  assert.equal(typeof first.importedUpvotes, 'number');
  assert.equal(typeof first.importedComments, 'number');
  const days = new Set(records.map((record) => record.daily?.day));
  assert.deepEqual([...days].sort(), ['2026-04-30', '2026-05-01', '2026-05-04']);
  assert.ok(records.some((record) => record.organization?.name && record.organization.avatarUrl));
  assert.ok(records.some((record) => record.githubRepo && typeof record.githubStars === 'number'));
  assert.ok(records.some((record) => record.aiSummary && record.aiKeywords?.length));
  assert.ok(records.some((record) => record.daily?.submittedBy?.user));
});

test('a raw /api/daily_papers array is read too, days taken from submittedOnDailyAt (UTC)', async () => {
  const { records, errors } = await collect(readHfDaily, join(FIXTURES, 'hf/daily-papers-response.json'));
  assert.equal(errors.length, 0);
  assert.equal(records.length, 9);
  assert.ok(records.every((record) => record.daily?.day === '2026-04-30'));
});

test('the real malformed file is rejected with a clear message and no records', async () => {
  const { records, errors } = await collect(
    readHfDaily,
    join(FIXTURES, 'hf/hf-daily-papers-malformed-2025-01-10.json'),
  );
  assert.equal(records.length, 0);
  assert.equal(errors.length, 1);
  assert.ok(errors[0] instanceof SourceRecordError);
  assert.match(
    errors[0].message,
    /^hf-daily-papers-malformed-2025-01-10\.json: line 1: expected a JSON array .* got an object with keys "status"/,
  );
});

test('bad lines and entries are located by file, line and entry', async () => {
  const dir = tempDir();
  const file = join(dir, 'mixed.jsonl');
  const good = { paper: { id: '2501.00001', title: 'T', summary: 'S', authors: [{ name: 'A' }] } };
  writeFileSync(
    file,
    [
      JSON.stringify({
        date: '2025-01-02',
        response: [good, "{'paper': {'id': 'x'}}", { paper: { id: 'nope' } }],
      }),
      '{"date": "2025-01-03", "response": [',
      JSON.stringify({ date: '2025-01-04', response: { error: 'rate limited' } }),
    ].join('\n'),
  );
  const { records, errors } = await collect(readHfDaily, file);
  assert.equal(records.length, 1);
  assert.deepEqual(
    errors.map((error) => error.message),
    [
      'mixed.jsonl: line 1, entry 2: entry is a string, not a JSON object (it looks like a Python repr, not JSON)',
      'mixed.jsonl: line 1, entry 3: paper.title: Invalid input: expected string, received undefined',
      errors[2]?.message.startsWith('mixed.jsonl: line 2: invalid JSON') ? errors[2].message : 'line 2 error',
      'mixed.jsonl: line 3: "response" must be an array of entries, got an object with keys "error"',
    ],
  );
});

const fullHf = sharedData('hf-daily-papers-2024-2026.jsonl.gz');
test('the full Hugging Face file: 9,581 entries parse, 291 are Python-repr strings', {
  skip: fullHf.skip,
}, async () => {
  const { records, errors } = await collect(readHfDaily, fullHf.path);
  assert.equal(records.length + errors.length, 9872);
  assert.equal(errors.length, 291);
  assert.ok(errors.every((error) => /Python repr/.test(error.message)));
});
