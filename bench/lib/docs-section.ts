import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './full-data.ts';

export const BENCHMARKS_DOC = join(ROOT, 'docs/benchmarks.md');

/** Replaces the section of docs/benchmarks.md that starts with `heading` (up to the next "## "), or appends it. */
export function writeDocsSection(heading: string, section: string, path = BENCHMARKS_DOC): void {
  const text = readFileSync(path, 'utf8');
  const start = text.indexOf(`\n${heading}`) + 1;
  if (start === 0) {
    writeFileSync(path, `${text.trimEnd()}\n\n${section.trimEnd()}\n`);
    return;
  }
  const next = text.slice(start + heading.length).search(/^## /m);
  const end = next === -1 ? text.length : start + heading.length + next;
  writeFileSync(
    path,
    `${text.slice(0, start)}${section.trimEnd()}\n${next === -1 ? '' : `\n${text.slice(end)}`}`,
  );
}
