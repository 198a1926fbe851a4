#!/usr/bin/env node
// Runs the CLI from its JavaScript build (dist/, made by `npm ci` or `npm run build`) when that is newer than every
// file under src/; otherwise the TypeScript itself through tsx, whose loader keeps a thread in each process and in
// each worker thread (docs/benchmarks.md, "Memory").
import { readdirSync, statSync } from 'node:fs';

const root = new URL('../', import.meta.url);

function buildIsCurrent() {
  let built;
  try {
    built = statSync(new URL('dist/.built', root)).mtimeMs;
  } catch {
    return false;
  }
  const src = new URL('src/', root);
  return [src, ...readdirSync(src, { recursive: true }).map((file) => new URL(file, src))].every(
    (file) => statSync(file).mtimeMs < built,
  );
}

if (buildIsCurrent()) {
  await import('../dist/cli/main.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
