// The full shared data set (arXiv listings + Hugging Face daily papers) in a SQLite file under data/, imported
// through the real CLI once and reused by the benchmarks.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';

export const ROOT = resolve(import.meta.dirname, '../..');
export const SHARED_DATA = resolve(ROOT, '../shared/data');
/** Built once and reused by later runs: under node_modules/.cache (or BENCH_CACHE_DIR), beside nothing tracked. */
export const BENCH_CACHE_DIR = resolve(
  process.env.BENCH_CACHE_DIR ?? join(ROOT, 'node_modules/.cache/dailypapers-bench'),
);
export const FULL_DATABASE = join(BENCH_CACHE_DIR, 'bench-web.db');
export const HF_FILE = join(SHARED_DATA, 'hf-daily-papers-2024-2026.jsonl.gz');
/**
 * The CLI as a site runs it (`npm start`, `dailypapers …`): the JavaScript build when it is current, else the
 * TypeScript through tsx (bin/dailypapers.js), whose loader alone held some 60 MB more in an import.
 */
export const CLI = join(ROOT, 'bin/dailypapers.js');

export const INPUTS = [
  { source: 'arxiv-jsonl', file: join(SHARED_DATA, 'arxiv-listings-2025-2026.jsonl.gz'), flags: [] },
  // 291 of the file's 9,872 entries are Python-repr strings, not JSON: skipped and reported.
  { source: 'hf-daily', file: HF_FILE, flags: ['--skip-bad'] },
];
/** Papers in the database after importing both files (the two overlap); anything else means rebuild. */
export const EXPECTED_PAPERS = 80_017;

function countPapers(path: string): number | null {
  if (!existsSync(path)) return null;
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      return db.prepare('SELECT COUNT(*) FROM papers').pluck().get() as number;
    } finally {
      db.close();
    }
  } catch {
    return null;
  }
}

/** Runs the real CLI with the given environment; rejects on a non-zero exit. */
export async function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  if (code !== 0) throw new Error(`dailypapers ${args.join(' ')} failed (${signal ?? `exit code ${code}`})`);
}

export interface MeasuredRun {
  seconds: number;
  /** Peak resident memory of the CLI process, by GNU time. */
  peakRssMb: number;
  stderr: string;
}

/** Runs the real CLI under /usr/bin/time; rejects on a non-zero exit. `onLine` sees its stderr lines as they come. */
export async function runCliMeasured(
  args: string[],
  env: NodeJS.ProcessEnv,
  onLine: (line: string) => void = () => {},
): Promise<MeasuredRun> {
  const started = performance.now();
  const child = spawn('/usr/bin/time', ['-f', 'peak-rss-kb=%M', process.execPath, CLI, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    stderr += text;
    for (const line of text.split('\n')) if (line && !line.startsWith('peak-rss-kb=')) onLine(line);
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`dailypapers ${args.join(' ')} failed (exit ${code}):\n${stderr}`);
  const peakKb = Number(/peak-rss-kb=(\d+)/.exec(stderr)?.[1]);
  return { seconds, peakRssMb: Math.round(peakKb / 1024), stderr };
}

/** Builds the database from the shared files unless it is already there with the expected count. */
export async function ensureFullDatabase(
  log: (line: string) => void,
  options: { rebuild?: boolean; path?: string } = {},
): Promise<number> {
  const path = options.path ?? FULL_DATABASE;
  const existing = countPapers(path);
  if (!options.rebuild && existing === EXPECTED_PAPERS) {
    log(`reusing ${path} (${existing.toLocaleString('en-US')} papers; --rebuild to import again)`);
    return existing;
  }
  for (const input of INPUTS) {
    if (!existsSync(input.file))
      throw new Error(`missing ${input.file}: run from a checkout with ../shared beside it`);
  }
  log(
    existing === null
      ? `building ${path}`
      : `rebuilding ${path}: it has ${existing} papers, expected ${EXPECTED_PAPERS}`,
  );
  mkdirSync(resolve(path, '..'), { recursive: true });
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(path + suffix, { force: true });
  for (const input of INPUTS) {
    const started = performance.now();
    log(`importing ${input.source} ${input.file}`);
    await runCli(['import', input.source, input.file, ...input.flags], { DATABASE_URL: path });
    log(`imported ${input.source} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  const papers = countPapers(path) ?? 0;
  log(
    `database ready: ${papers.toLocaleString('en-US')} papers, ${Math.round(statSync(path).size / 2 ** 20)} MB`,
  );
  if (papers !== EXPECTED_PAPERS)
    throw new Error(`expected ${EXPECTED_PAPERS} papers after the import, got ${papers}`);
  return papers;
}
