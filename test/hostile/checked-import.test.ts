// An all-or-nothing file import checks its copy of the input on several threads, then reads the copy again to
// write it: a bad record anywhere (in any thread's share of the lines) writes nothing, on every store; a good file
// writes the same papers as one reading; the copy is what is written, whatever happens to the file meanwhile.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { ImportRejectedError, importPapers } from '../../src/services/import-papers.ts';
import { checkInWorkers } from '../../src/sources/parse-in-worker.ts';
import { stageInput } from '../../src/sources/staged-input.ts';
import { freshStore, STORE_KINDS } from '../helpers/stores.ts';
import { FIXTURES, tempDir } from '../helpers/temp.ts';

const dir = tempDir();
const fixture = readFileSync(join(FIXTURES, 'arxiv/listings.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as Record<string, unknown>);

/** `count` listing lines under new ids (several runs of lines for each checking thread). */
function listingLines(count: number): string[] {
  return Array.from({ length: count }, (_, index) => {
    const id = `2608.${String(index + 1).padStart(5, '0')}`;
    return JSON.stringify({ ...fixture[index % fixture.length], id, abs: `https://arxiv.org/abs/${id}` });
  });
}

function writeInput(name: string, lines: string[], gzip = false): string {
  const path = join(dir, name);
  const text = `${lines.join('\n')}\n`;
  writeFileSync(path, gzip ? gzipSync(text) : text);
  return path;
}

const BAD_LINE = '{"id": "2501.0", "title": "t", "summary": "s", "authors": []}';

test('the threads share the lines: every record is checked once, and a bad one in any share is found', async () => {
  const lines = listingLines(300);
  const good = writeInput('good.jsonl', lines);
  const checked = await checkInWorkers({ format: 'arxiv-jsonl', location: good, listOnDay: false }, 2);
  assert.deepEqual(checked, { processed: 300, droppedLinks: 0, bad: null });
  // Line 70 is in the second thread's share, line 290 in the first's (runs of 64 lines, dealt in turn).
  for (const lineNumber of [1, 70, 290, 301]) {
    const withBad = [...lines];
    withBad.splice(lineNumber - 1, 0, BAD_LINE);
    const file = writeInput(`bad-at-${lineNumber}.jsonl.gz`, withBad, true);
    const result = await checkInWorkers(
      { format: 'arxiv-jsonl', location: file, listOnDay: false, name: 'named.jsonl.gz' },
      2,
    );
    assert.match(
      String(result.bad?.message),
      new RegExp(`^named\\.jsonl\\.gz: line ${lineNumber}: not an arXiv id`),
    );
  }
});

for (const kind of STORE_KINDS) {
  describe(`a checked import (${kind})`, () => {
    test("a bad record in the second thread's share writes nothing", async (t) => {
      const store = await freshStore(kind, t);
      const lines = listingLines(200);
      lines.splice(150, 0, BAD_LINE);
      const input = await stageInput({
        format: 'arxiv-jsonl',
        location: writeInput('one-bad.jsonl', lines),
        listOnDay: true,
      });
      try {
        await assert.rejects(importPapers(store, input, { batchSize: 7 }), (error: Error) => {
          assert.ok(error instanceof ImportRejectedError);
          assert.match(
            error.message,
            /one-bad\.jsonl: line 151: not an arXiv id: "2501\.0"\nnothing was imported/,
          );
          return true;
        });
      } finally {
        await input.dispose();
      }
      assert.equal(await store.papers.countPapers(), 0);
      await store.close();
    });

    test('a good file is written whole, in order, from the copy checked, even if the file changes', async (t) => {
      const store = await freshStore(kind, t);
      const lines = listingLines(260);
      // The same paper twice: the later line is the one kept, as when the file is read once.
      lines.push(JSON.stringify({ ...JSON.parse(lines[3] as string), title: 'The second version' }));
      const path = writeInput('good.jsonl', lines);
      const input = await stageInput({ format: 'arxiv-jsonl', location: path, listOnDay: true });
      const progress: number[] = [];
      try {
        await input.check(({ processed }) => progress.push(processed));
        writeFileSync(path, `${BAD_LINE}\n`);
        const summary = await importPapers(store, input, { batchSize: 50 });
        assert.equal(summary.processed, 261);
        assert.equal(summary.inserted, 260);
        assert.equal(summary.written, 261);
      } finally {
        await input.dispose();
      }
      assert.equal(await store.papers.countPapers(), 260);
      assert.equal((await store.papers.getPaper('2608.00004'))?.title, 'The second version');
      assert.equal(progress.at(-1), 261);
      await store.close();
    });
  });
}

test('an input that cannot be read is refused before anything is copied or checked', async () => {
  await assert.rejects(
    stageInput({ format: 'arxiv-jsonl', location: join(dir, 'missing.jsonl'), listOnDay: false }),
    /missing\.jsonl: cannot read \(ENOENT\)/,
  );
});
