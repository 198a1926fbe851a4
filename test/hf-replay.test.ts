// Real Hugging Face responses replayed through import and our API must come back as Hugging Face served them.
import assert from 'node:assert/strict';
import { createReadStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { createGunzip } from 'node:zlib';
import { safeUrl } from '../src/domain/safe-url.ts';
import { importPapers } from '../src/services/import-papers.ts';
import { readHfDaily } from '../src/sources/hf-daily.ts';
import type { Json } from './helpers/hf-shape.ts';
import { startSite } from './helpers/site.ts';
import { sharedData, tempDir } from './helpers/temp.ts';

const DAYS = 24;
const fullHf = sharedData('hf-daily-papers-2024-2026.jsonl.gz');

/** Links pass our URL policy; Hugging Face's own relative paths become absolute on its site. */
const LINK_KEYS = new Set(['avatar', 'avatarUrl', 'thumbnail', 'githubRepo', 'projectPage', 'mediaUrl']);

function asServedHere(value: unknown, key = ''): unknown {
  if (Array.isArray(value))
    return key === 'mediaUrls'
      ? value.map((url) => asServedHere(url, 'mediaUrl')).filter((url) => url !== undefined)
      : value.map((item) => asServedHere(item));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .map(([name, item]) => [name, asServedHere(item, name)])
        .filter(([, item]) => item !== undefined),
    );
  if (LINK_KEYS.has(key) && typeof value === 'string') {
    const trimmed = value.trim();
    if (trimmed === '') return undefined;
    return safeUrl(trimmed.startsWith('/') ? `https://huggingface.co${trimmed}` : trimmed) ?? undefined;
  }
  return value === null ? undefined : value;
}

/** Every path whose value or type differs; `skip` names paths not compared. */
function differences(ours: unknown, theirs: unknown, path: string, skip: Set<string>, out: string[]): void {
  if (skip.has(path)) return;
  if (Array.isArray(theirs) && Array.isArray(ours)) {
    if (ours.length !== theirs.length)
      out.push(`${path}: ${ours.length} items, Hugging Face ${theirs.length}`);
    theirs.forEach((item, index) => differences(ours[index], item, `${path}[]`, skip, out));
    return;
  }
  if (theirs !== null && typeof theirs === 'object' && ours !== null && typeof ours === 'object') {
    const keys = new Set([...Object.keys(theirs), ...Object.keys(ours)]);
    for (const key of keys)
      differences((ours as Json)[key], (theirs as Json)[key], path ? `${path}.${key}` : key, skip, out);
    return;
  }
  if (JSON.stringify(ours) !== JSON.stringify(theirs))
    out.push(
      `${path}: ours ${JSON.stringify(ours)?.slice(0, 80)}, Hugging Face ${JSON.stringify(theirs)?.slice(0, 80)}`,
    );
}

/** Days spread over the file, leaving out the archived Python-repr days (bad input an import rejects). */
async function pickDays(file: string): Promise<Array<{ date: string; line: string; response: Json[] }>> {
  const days: Array<{ date: string; line: string; response: Json[] }> = [];
  for await (const line of createInterface({ input: createReadStream(file).pipe(createGunzip()) })) {
    const day = JSON.parse(line) as { date: string; response: unknown[] };
    if (day.response.length > 0 && day.response.every((entry) => typeof entry === 'object'))
      days.push({ date: day.date, line, response: day.response as Json[] });
  }
  const step = days.length / DAYS;
  return Array.from({ length: DAYS }, (_, index) => days[Math.floor(index * step)] as (typeof days)[number]);
}

test('real Hugging Face days replayed through import and /api/daily_papers come back field for field', {
  skip: fullHf.skip,
}, async () => {
  const days = await pickDays(fullHf.path);
  const input = join(tempDir(), 'days.jsonl');
  writeFileSync(input, `${days.map((day) => day.line).join('\n')}\n`);
  const listings = new Map<string, number>();
  for (const day of days)
    for (const entry of day.response) {
      const id = (entry.paper as Json).id as string;
      listings.set(id, (listings.get(id) ?? 0) + 1);
    }
  const site = await startSite({
    prepare: async (store) => {
      const summary = await importPapers(store, readHfDaily(createReadStream(input), input));
      assert.deepEqual(summary.errors, []);
    },
  });
  try {
    const problems: string[] = [];
    let compared = 0;
    for (const day of days) {
      const response = await fetch(`${site.url}/api/daily_papers?date=${day.date}&limit=100`);
      assert.equal(response.status, 200);
      const served = new Map(
        ((await response.json()) as Json[]).map((entry) => [(entry.paper as Json).id as string, entry]),
      );
      for (const theirs of day.response) {
        const id = (theirs.paper as Json).id as string;
        const ours = served.get(id);
        // Listed twice: the listing is the first day's, so only the paper's own fields are compared on a later day.
        if (!ours) {
          assert.ok((listings.get(id) ?? 0) > 1, `${id} of ${day.date} is served on its day`);
          continue;
        }
        const skip = new Set(['numComments']);
        if ((listings.get(id) ?? 0) > 1)
          for (const field of [
            'paper.upvotes',
            'paper.submittedOnDailyAt',
            'paper.submittedOnDailyBy',
            'submittedBy',
            'isAuthorParticipating',
            'thumbnail',
            'mediaUrls',
            'mediaUrl',
            'publishedAt',
          ])
            skip.add(field);
        const found: string[] = [];
        differences(ours, asServedHere(theirs), '', skip, found);
        problems.push(...found.map((problem) => `${day.date} ${id} ${problem}`));
        assert.equal(typeof ours.numComments, 'number');
        compared++;
      }
    }
    assert.ok(compared >= 20 * 5, `compared ${compared} entries`);
    assert.deepEqual(problems.slice(0, 30), []);
  } finally {
    await site.close();
  }
});
