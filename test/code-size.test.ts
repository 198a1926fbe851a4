// The size rule: no function in src/ over 80 lines, no file over 400 (data files aside), so every piece reads
// in one screen or two.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';

const SRC = new URL('../src/', import.meta.url).pathname;
const MAX_FUNCTION_LINES = 80;
const MAX_FILE_LINES = 400;
/** Data, not code: schema migrations and the sample-paper list. */
const DATA_FILE = /\/migrations\//;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const lineOf = (file: ts.SourceFile, position: number) => file.getLineAndCharacterOfPosition(position).line;

function longFunctions(path: string, text: string): string[] {
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const lines = lineOf(file, node.getEnd()) - lineOf(file, node.getStart(file)) + 1;
      if (lines > MAX_FUNCTION_LINES) {
        const name = node.name && ts.isIdentifier(node.name) ? node.name.text : '(anonymous)';
        found.push(`${relative(SRC, path)}:${lineOf(file, node.getStart(file)) + 1} ${name}: ${lines} lines`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

test(`no function in src/ is over ${MAX_FUNCTION_LINES} lines, no file over ${MAX_FILE_LINES}`, () => {
  const problems: string[] = [];
  for (const path of sourceFiles(SRC)) {
    if (DATA_FILE.test(path)) continue;
    const text = readFileSync(path, 'utf8');
    const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
    if (lines > MAX_FILE_LINES) problems.push(`${relative(SRC, path)}: ${lines} lines`);
    problems.push(...longFunctions(path, text));
  }
  assert.deepEqual(problems, []);
});
