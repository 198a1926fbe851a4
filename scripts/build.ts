// npm run build (and npm ci): the server as JavaScript in dist/, beside src/ so that the paths the code finds its
// files by (../assets, ../../sample, the migrations' folder) stay the same. bin/dailypapers.js runs it when it is
// at least as new as src/: without the TypeScript loader, which keeps a thread of its own in every process and in
// every worker thread (some 80 MB of a web process at 80k papers, docs/benchmarks.md "Memory").
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
/** dist/ unless told (the tests build a copy beside links to the rest of the tree). */
const DIST = resolve(process.argv[2] ?? join(ROOT, 'dist'));

// Stamped with the time the build began: a file changed while it ran makes it out of date.
const started = new Date();
rmSync(DIST, { recursive: true, force: true });
// Type errors are `npm run typecheck`'s to report; the build only strips the types.
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(
  process.execPath,
  [tsc, '-p', join(ROOT, 'tsconfig.build.json'), '--noCheck', '--outDir', DIST],
  {
    stdio: 'inherit',
  },
);
// The files beside the code: the site's assets, and the C source the search extension is checked against.
for (const file of readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' })) {
  const source = join(ROOT, 'src', file);
  const stat = statSync(source);
  if (file.endsWith('.ts') || !stat.isFile()) continue;
  mkdirSync(dirname(join(DIST, file)), { recursive: true });
  copyFileSync(source, join(DIST, file));
  utimesSync(join(DIST, file), stat.atime, stat.mtime);
}
writeFileSync(join(DIST, '.built'), '');
utimesSync(join(DIST, '.built'), started, started);
console.log(`built ${DIST}`);
