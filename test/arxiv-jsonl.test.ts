import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { readArxivJsonl } from '../src/sources/arxiv-jsonl.ts';
import { collect } from './helpers/collect.ts';
import { FIXTURES, sharedData, tempDir } from './helpers/temp.ts';

test('listing format: fields mapped, listed_on only when asked', async () => {
  const { records, errors } = await collect(readArxivJsonl, join(FIXTURES, 'arxiv/listings.jsonl'));
  assert.equal(errors.length, 0);
  assert.equal(records.length, 40);
  const first = records[0];
  assert.ok(first);
  assert.equal(first.id, '2503.11731');
  assert.equal(first.source, 'arxiv');
  assert.equal(
    first.title,
    'Industrial-Grade Sensor Simulation via Gaussian Splatting: A Modular Framework for Scalable Editing and Full-Stack Validation',
  );
  assert.equal(first.authors.length, 16);
  assert.deepEqual(first.authors[0], { name: 'Xianming Zeng', hfId: null, hidden: false });
  assert.deepEqual(first.categories, ['cs.CV', 'cs.RO']);
  assert.equal(first.pdfUrl, 'https://arxiv.org/pdf/2503.11731');
  assert.match(
    first.abstract,
    /^Sensor simulation is pivotal for scalable validation of autonomous driving systems, yet/,
  );
  assert.ok(!first.abstract.includes('\n'), 'hard line breaks inside a paragraph are unwrapped');
  assert.equal(first.daily, undefined);

  const listed = await collect(
    (stream, name) => readArxivJsonl(stream, name, { listOnDay: true }),
    join(FIXTURES, 'arxiv/listings.jsonl'),
  );
  assert.deepEqual(listed.records[0]?.daily, { day: '2025-03-18', submittedBy: null, submittedAt: null });
});

test('snapshot format: versions, dates, parsed authors, old-style ids', async () => {
  const { records, errors } = await collect(readArxivJsonl, join(FIXTURES, 'arxiv/snapshot.jsonl'));
  assert.equal(errors.length, 0);
  assert.equal(records.length, 4);
  assert.equal(records[0]?.version, 2);
  assert.equal(records[0]?.publishedAt, '2025-03-17T16:00:00.000Z');
  assert.equal(records[0]?.updatedAt, '2025-04-03T09:30:00.000Z');
  const maldacena = records[3];
  assert.ok(maldacena);
  assert.equal(maldacena.id, 'hep-th/9711200');
  assert.equal(maldacena.version, 3);
  assert.deepEqual(
    maldacena.authors.map((author) => author.name),
    ['Juan M. Maldacena'],
  );
  assert.deepEqual(maldacena.categories, ['hep-th']);
  assert.equal(maldacena.journalRef, 'Adv.Theor.Math.Phys.2:231-252,1998');
  assert.equal(maldacena.doi, '10.1023/A:1026654312961');
  assert.equal(maldacena.publishedAt, '1997-11-27T22:18:33.000Z');
  assert.match(maldacena.abstract, /^We show that the large \$N\$ limit/);
});

test('formats are detected per line, gzip by content, bad lines located', async () => {
  const dir = tempDir();
  const snapshot = readFileSync(join(FIXTURES, 'arxiv/snapshot.jsonl'), 'utf8').split('\n')[0];
  const listing = readFileSync(join(FIXTURES, 'arxiv/listings.jsonl'), 'utf8').split('\n')[1];
  const file = join(dir, 'mixed.data');
  writeFileSync(
    file,
    gzipSync(
      [
        snapshot,
        '',
        '{"id": "2501.00001", "title": "x"}',
        listing,
        '{not json',
        '{"id": "garbage", "summary": "s", "title": "t", "authors": []}',
      ].join('\r\n'),
    ),
  );
  const { records, errors } = await collect(readArxivJsonl, file);
  assert.equal(records.length, 2);
  assert.deepEqual(
    errors.map((error) => error.message.replace(/invalid JSON: .*/, 'invalid JSON')),
    [
      'mixed.data: line 3: neither an arXiv snapshot record (no "abstract") nor a listing record (no "summary")',
      'mixed.data: line 5: invalid JSON',
      'mixed.data: line 6: not an arXiv id: "garbage"',
    ],
  );
});

test('a truncated gzip file is an error, not a crash', async () => {
  const dir = tempDir();
  const whole = gzipSync(readFileSync(join(FIXTURES, 'arxiv/listings.jsonl')));
  const file = join(dir, 'cut.jsonl.gz');
  writeFileSync(file, whole.subarray(0, whole.length / 2));
  await assert.rejects(collect(readArxivJsonl, file), /unexpected end of file|gzip/i);
});

const listings = sharedData('arxiv-listings-2025-2026.jsonl.gz');
test('the full arXiv listing file parses: 74,728 papers, no errors', { skip: listings.skip }, async () => {
  const { records, errors } = await collect(readArxivJsonl, listings.path);
  assert.equal(errors.length, 0);
  assert.equal(records.length, 74_728);
  assert.equal(new Set(records.map((record) => record.id)).size, 74_728);
});
