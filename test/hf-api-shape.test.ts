import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { createGunzip } from 'node:zlib';
import { importPapers } from '../src/services/import-papers.ts';
import { readHfDaily } from '../src/sources/hf-daily.ts';
import { openSqliteStore } from '../src/store/sqlite/index.ts';
import { toHfDailyEntry } from '../src/web/api/hf-entry.ts';
import { differencesFromHf, get, type Json } from './helpers/hf-shape.ts';
import { sharedData, tempDir } from './helpers/temp.ts';

const fullHf = sharedData('hf-daily-papers-2024-2026.jsonl.gz');
test('served entries keep every stored field of the real Hugging Face responses, same names and types', {
  skip: fullHf.skip,
}, async () => {
  const file = fullHf.path;
  const store = await openSqliteStore(join(tempDir(), 'hf.db'));
  await importPapers(store, readHfDaily(createReadStream(file), 'hf'), { skipBad: true });

  const originals = new Map<string, Json[]>();
  for await (const line of createInterface({ input: createReadStream(file).pipe(createGunzip()) })) {
    for (const entry of (JSON.parse(line) as { response: unknown[] }).response) {
      if (typeof entry !== 'object' || entry === null) continue;
      const id = get(entry, 'paper.id') as string;
      originals.set(id, [...(originals.get(id) ?? []), entry as Json]);
    }
  }

  const problems: string[] = [];
  let compared = 0;
  for (const [id, entries] of originals) {
    const paper = await store.papers.getPaper(id);
    assert.ok(paper, `paper ${id} was imported`);
    const extra = (await store.papers.hfExtras([id])).get(id) ?? null;
    const ours = toHfDailyEntry(paper, extra, 'http://localhost:3000');
    // Listed twice: the stored values follow the first listing's day only, so compare types alone.
    const found = differencesFromHf(ours, entries[0] as Json, { values: entries.length === 1 });
    problems.push(...found);
    if (entries.length === 1) compared++;
  }
  await store.close();
  assert.ok(compared > 9000, `compared ${compared}`);
  assert.deepEqual(problems.slice(0, 20), []);
});
