import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from './helpers/temp.ts';

const ROOT = new URL('../', import.meta.url).pathname;

/** Each file imports one module; `rejected` says whether the project's linter config must refuse it. */
const probes: Array<{ file: string; imports: string; rejected: boolean }> = [
  { file: 'src/domain/probe.ts', imports: '../services/digests.ts', rejected: true },
  { file: 'src/domain/probe-store.ts', imports: '../store/store.ts', rejected: true },
  { file: 'src/domain/probe-package.ts', imports: 'zod', rejected: true },
  { file: 'src/domain/probe-fs.ts', imports: 'node:fs', rejected: true },
  { file: 'src/domain/probe-own.ts', imports: './paper.ts', rejected: false },
  { file: 'src/domain/probe-crypto.ts', imports: 'node:crypto', rejected: false },
  { file: 'src/text/probe.ts', imports: '../web/server.ts', rejected: true },
  { file: 'src/text/probe-store.ts', imports: '../store/store.ts', rejected: true },
  { file: 'src/text/probe-domain.ts', imports: '../domain/tex-text.ts', rejected: false },
  { file: 'src/text/probe-katex.ts', imports: 'katex', rejected: false },
  { file: 'src/mail/probe.ts', imports: '../web/server.ts', rejected: true },
  { file: 'src/sources/probe.ts', imports: '../services/import-papers.ts', rejected: true },
  { file: 'src/search-index/probe.ts', imports: '../services/search-papers.ts', rejected: true },
  { file: 'src/embeddings/probe.ts', imports: '../cli/main.ts', rejected: true },
  { file: 'src/store/sqlite/probe.ts', imports: '../../web/server.ts', rejected: true },
  { file: 'src/store/probe.ts', imports: '../domain/paper.ts', rejected: false },
  { file: 'src/mail/probe-text.ts', imports: '../text/escape.ts', rejected: false },
  { file: 'src/services/probe.ts', imports: '../store/store.ts', rejected: false },
  { file: 'src/web/probe.ts', imports: '../services/digests.ts', rejected: false },
];

test('the linter rejects imports that go up the layers and accepts the ones that go down', () => {
  // A copy of the project's linter config over a tree of probe files, so the source tree is never touched.
  const dir = tempDir();
  copyFileSync(join(ROOT, 'biome.json'), join(dir, 'biome.json'));
  for (const { file, imports } of probes) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), `import * as probe from '${imports}';\n\nexport const used = probe;\n`);
  }
  const run = spawnSync(
    join(ROOT, 'node_modules/.bin/biome'),
    ['lint', '--reporter=json', ...probes.map((probe) => probe.file)],
    { cwd: dir, encoding: 'utf8' },
  );
  const report = JSON.parse(run.stdout) as {
    diagnostics: Array<{ category: string; location: { path: string } }>;
  };
  const restricted = new Set(
    report.diagnostics
      .filter((diagnostic) => diagnostic.category === 'lint/style/noRestrictedImports')
      .map((diagnostic) => diagnostic.location.path),
  );
  for (const { file, imports, rejected } of probes)
    assert.equal(restricted.has(file), rejected, `${file} importing ${imports}`);
  assert.notEqual(run.status, 0, 'a rejected import fails the lint');
});
