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
import { SHARED_DATA, tempDir } from './helpers/temp.ts';

type Json = Record<string, unknown>;

/**
 * Fields we store per paper, by path: served back they must equal what Hugging Face served. An organization's
 * full name and avatar belong to the organization and follow its latest import, so only their types are compared.
 */
const STORED_VALUES = [
  'paper.id',
  'paper.upvotes',
  'paper.publishedAt',
  'paper.submittedOnDailyAt',
  'paper.githubRepo',
  'paper.githubStars',
  'paper.projectPage',
  'paper.ai_summary',
  'paper.ai_keywords',
  'paper.organization.name',
  'paper.submittedOnDailyBy.user',
  'paper.submittedOnDailyBy.fullname',
  'paper.submittedOnDailyBy.avatarUrl',
  'numComments',
  'thumbnail',
];

function get(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node as Json | undefined)?.[key], value);
}

function typeOf(value: unknown): string {
  return Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
}

/** Every key path of ours that Hugging Face also has must hold the same JSON type. */
function compareTypes(ours: unknown, theirs: unknown, path: string, problems: string[]): void {
  if (theirs === undefined || theirs === null) return;
  if (typeOf(ours) !== typeOf(theirs)) {
    problems.push(`${path}: ours ${typeOf(ours)}, Hugging Face ${typeOf(theirs)}`);
    return;
  }
  if (Array.isArray(ours)) {
    ours.forEach((item, index) =>
      compareTypes(item, (theirs as unknown[])[index], `${path}[${index}]`, problems),
    );
  } else if (typeof ours === 'object' && ours !== null) {
    for (const [key, value] of Object.entries(ours)) {
      compareTypes(value, (theirs as Json)[key], path ? `${path}.${key}` : key, problems);
    }
  }
}

test('served entries keep every stored field of the real Hugging Face responses, same names and types', async () => {
  const file = join(SHARED_DATA, 'hf-daily-papers-2024-2026.jsonl.gz');
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
    const paper = await store.getPaper(id);
    assert.ok(paper, `paper ${id} was imported`);
    const ours = toHfDailyEntry(paper, 'http://localhost:3000');
    const theirs = entries[0] as Json;
    compareTypes(ours, theirs, '', problems);
    if (entries.length > 1) continue; // listed twice: the stored values follow the first listing's day only
    compared++;
    for (const path of STORED_VALUES) {
      const expected = get(theirs, path);
      if (expected === undefined || expected === null || expected === '') continue;
      const actual = get(ours, path);
      if (JSON.stringify(actual) !== JSON.stringify(expected)) {
        problems.push(
          `${id} ${path}: ours ${JSON.stringify(actual)}, Hugging Face ${JSON.stringify(expected)}`,
        );
      }
    }
    const names = (get(theirs, 'paper.authors') as Json[]).map((author) => String(author.name).trim());
    assert.deepEqual(
      (get(ours, 'paper.authors') as Json[]).map((author) => author.name),
      names,
    );
  }
  await store.close();
  assert.ok(compared > 9000, `compared ${compared}`);
  assert.deepEqual(problems.slice(0, 20), []);
});
