// Hostile searches on a real server: a flood of filters is refused with the cap it broke, excluding a word most
// papers have is refused, and costly searches in flight neither block a plain search nor produce a 500.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { PaperRecord } from '../../src/domain/paper.ts';
import { MAX_FILTERS, MAX_FILTERS_OF_A_KIND } from '../../src/domain/search-query.ts';
import { paperRecord } from '../helpers/records.ts';
import { type RunningSite, startSite } from '../helpers/site.ts';
import { STORE_KINDS } from '../helpers/stores.ts';

const WORDS = [
  'graph',
  'neural',
  'policy',
  'kernel',
  'sparse',
  'protein',
  'quantum',
  'robot',
  'language',
  'vision',
];

/** Enough papers that a word in every one of them counts as common (the site ignores that below 1,000 papers). */
function corpus(size: number): PaperRecord[] {
  return Array.from({ length: size }, (_, index) => {
    const id = `2601.${String(index + 1).padStart(5, '0')}`;
    const a = WORDS[index % WORDS.length] as string;
    const b = WORDS[(index * 7 + 3) % WORDS.length] as string;
    return paperRecord(id, {
      title: `On ${a} methods for ${b} problems ${index}`,
      abstract: `We study ${a} and ${b} models; the results show the approach works.`,
      categories: [index % 3 === 0 ? 'cs.LG' : 'math.OC', 'stat.ML'],
      publishedAt: `2026-01-${String((index % 28) + 1).padStart(2, '0')}T00:00:00Z`,
    });
  });
}

const search = (site: RunningSite, q: string, extra = '') =>
  fetch(`${site.url}/search?q=${encodeURIComponent(q)}${extra}`);

for (const kind of STORE_KINDS) {
  describe(`hostile searches (${kind})`, () => {
    let site: RunningSite;
    before(async () => {
      site = await startSite({ store: kind, records: corpus(20_000) });
    });
    after(() => site.close());

    test('a flood of cat: filters gets a 400 naming the cap, on the page and in the API', async () => {
      const flood = `${'cat:cs '.repeat(70)}cat:zz`;
      const page = await search(site, flood, '&sort=newest');
      assert.equal(page.status, 400);
      const html = await page.text();
      assert.match(html, new RegExp(`at most ${MAX_FILTERS_OF_A_KIND} cat: filters \\(this one has 71\\)`));
      const api = await fetch(`${site.url}/api/papers/search?q=${encodeURIComponent(flood)}`);
      assert.equal(api.status, 400);
      assert.match(((await api.json()) as { error: string }).error, /at most \d+ cat: filters/);
    });

    test('author: and org: floods, and too many filters in all, get a 400 naming their cap', async () => {
      const authors = Array.from({ length: 9 }, (_, i) => `author:"Someone ${i}"`).join(' ');
      assert.match(
        await (await search(site, authors)).text(),
        /at most \d+ author: filters \(this one has 9\)/,
      );
      const orgs = Array.from({ length: 6 }, (_, i) => `org:o${i}`).join(' ');
      assert.match(await (await search(site, orgs)).text(), /at most \d+ org: filters \(this one has 6\)/);
      const mixed = 'cat:cs cat:math cat:q-bio author:a author:b author:c org:x org:y org:z';
      const response = await search(site, mixed);
      assert.equal(response.status, 400);
      assert.match(
        await response.text(),
        new RegExp(`at most ${MAX_FILTERS} author:, org: and cat: filters`),
      );
    });

    test('a query within the caps still searches', async () => {
      const response = await search(site, 'graph cat:cs.LG cat:stat.ML', '&sort=newest');
      assert.equal(response.status, 200);
      assert.match(await response.text(), /2601\.\d{5}/);
    });

    test('excluding a word most papers have gets a 400 saying which word', {
      skip: kind !== 'sqlite',
    }, async () => {
      const response = await search(site, 'graph -the');
      assert.equal(response.status, 400);
      assert.match(await response.text(), /-the: too many papers contain/);
      const api = await fetch(`${site.url}/api/papers/search?q=${encodeURIComponent('graph -the')}`);
      assert.equal(api.status, 400);
    });

    test('costly searches in flight do not hold up a plain one, and none fails with a 500', async () => {
      // Each ranks every paper with a common word, then finds that none of them passes the filter.
      const costly = ['the cat:zz', 'results -graph cat:zz', 'approach cat:stat.ML cat:zz', 'show cat:zz'];
      // Both search threads started (each starts on its first search).
      assert.equal((await search(site, 'graph neural')).status, 200);
      assert.equal((await search(site, 'graph cat:cs.LG')).status, 200);
      const finished: number[] = [];
      const statuses: number[] = [];
      const heavy = Array.from({ length: 24 }, async (_, i) => {
        const response = await search(site, costly[i % costly.length] as string, '&sort=newest');
        statuses.push(response.status);
        if (response.status === 503) assert.ok(response.headers.get('retry-after'), '503 says when to retry');
        await response.text();
        finished.push(performance.now());
      });
      const plain = await search(site, 'protein vision');
      const plainDone = performance.now();
      assert.equal(plain.status, 200);
      await Promise.all(heavy);
      assert.ok(
        statuses.every((status) => status === 200 || status === 503),
        `statuses: ${statuses.join(' ')}`,
      );
      assert.ok(
        finished.some((at) => at > plainDone),
        'the plain search was answered while costly ones were still waiting',
      );
    });
  });
}
