import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { runCli } from './helpers/cli.ts';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

test('--version prints the package version and exits 0', async () => {
  for (const flag of ['--version', '-V']) {
    const run = await runCli([flag]);
    assert.equal(run.code, 0, flag);
    assert.equal(run.stdout, `${version}\n`, flag);
  }
});

test('usage errors exit 2; help exits 0; a failure at work still exits 1', async () => {
  const usage: string[][] = [
    ['--no-such-option'],
    ['no-such-command'],
    ['import', 'hf-daily'],
    ['import', 'hf-daily', 'x.json', '--batch-size', '0'],
    ['index', '--embed', '--embedder-url', 'http://127.0.0.1:9/v1'],
    [],
  ];
  for (const args of usage) {
    const run = await runCli(args);
    assert.equal(run.code, 2, args.join(' '));
    assert.match(run.stderr, /\S/, args.join(' '));
  }
  assert.equal((await runCli(['--help'])).code, 0);
  assert.equal((await runCli(['import', '--help'])).code, 0);
  assert.equal((await runCli(['serve'], { PORT: 'eighty' })).code, 1);
});
