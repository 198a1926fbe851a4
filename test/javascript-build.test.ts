import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { startServe } from './helpers/serve-process.ts';
import { tempDir } from './helpers/temp.ts';

const ROOT = new URL('../', import.meta.url).pathname;

test('the JavaScript build serves the site, searches on its keyword thread and trains on its own thread', async () => {
  // A tree like the repository's, with the build beside links to what the code reads by relative path.
  const tree = tempDir();
  for (const entry of ['node_modules', 'sample', 'build']) symlinkSync(join(ROOT, entry), join(tree, entry));
  copyFileSync(join(ROOT, 'package.json'), join(tree, 'package.json'));
  execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/build.ts'), join(tree, 'dist')], {
    stdio: 'ignore',
  });
  const site = await startServe([], { DATABASE_URL: join(tempDir(), 'site.db'), LOAD_SAMPLE: 'auto' }, [
    join(tree, 'dist/cli/main.js'),
  ]);
  await site.waitFor(/Dailypapers is running/);
  assert.match(site.output(), /code: the JavaScript build/);
  const search = await fetch(`${site.baseUrl}/search?q=language+model`);
  assert.equal(search.status, 200);
  assert.match(await search.text(), /href="\/papers\/\d{4}\.\d{5}"/);
  await site.waitFor(/search: trained \S+ on \d+ papers/);
});
