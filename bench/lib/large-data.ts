// The 2.7M-paper benchmark database (data/bench-large.db): the shared files and the generated corpus shards
// (bench/generate-corpus.ts) imported through the real CLI, then `dailypapers index --embed` (train the model, embed
// every paper, build and save the vector partitions). What each step took is kept beside the database in a JSON
// file, so later runs report the build without repeating it.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { embedMissingPapers, trainEmbeddingModel } from '../../src/services/embed-papers.ts';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import { ensureCorpus, LARGE_CORPUS_PAPERS } from '../generate-corpus.ts';
import { ensureFullDatabase, ROOT, runCli } from './full-data.ts';

export const LARGE_DATABASE = join(ROOT, 'data/bench-large.db');
const BUILD_LOG = `${LARGE_DATABASE}.build.json`;

export interface LargeBuild {
  /** Seconds per step: "import <file>", "index --embed". */
  steps: Record<string, number>;
  /** What `index --embed` reported: seconds to train, embed, load the vectors, build the partitions. */
  index?: {
    train?: number;
    embed?: number;
    embedded?: number;
    load?: number;
    partitions?: number;
    lists?: number;
  };
  /** Peak RSS in MB of the `index --embed` process. */
  indexPeakMb?: number;
}

const CLI = join(ROOT, 'src/cli/main.ts');

/** Runs the CLI under GNU time, echoing and returning its stderr lines and its peak RSS. */
async function runMeasured(args: string[]): Promise<{ lines: string[]; peakMb: number }> {
  const child = spawn(
    '/usr/bin/time',
    ['-f', 'peak-rss-kb %M', process.execPath, '--import', 'tsx', CLI, ...args],
    {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: LARGE_DATABASE },
      stdio: ['ignore', 'inherit', 'pipe'],
    },
  );
  const lines: string[] = [];
  createInterface({ input: child.stderr }).on('line', (line) => {
    lines.push(line);
    process.stderr.write(`${line}\n`);
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`dailypapers ${args.join(' ')} failed (exit code ${code})`);
  const peak = lines.map((line) => /^peak-rss-kb (\d+)/.exec(line)?.[1]).find(Boolean);
  return { lines, peakMb: Math.round(Number(peak ?? 0) / 1024) };
}

/** The figures `index --embed` prints (see src/cli/commands/index.ts). */
function indexFigures(lines: string[]): NonNullable<LargeBuild['index']> {
  const text = lines.join('\n');
  const number = (pattern: RegExp, group = 1) => {
    const value = pattern.exec(text)?.[group];
    return value === undefined ? undefined : Number(value.replaceAll(',', ''));
  };
  const figures = {
    train: number(/trained \S+ in ([\d.]+) s/),
    embedded: number(/embedded ([\d,]+) papers with \S+ in ([\d.]+) s/),
    embed: number(/embedded ([\d,]+) papers with \S+ in ([\d.]+) s/, 2),
    load: number(/loaded [\d,]+ vectors in ([\d.]+) s/),
    lists: number(/built ([\d,]+) vector partitions in ([\d.]+) s/),
    partitions: number(/built ([\d,]+) vector partitions in ([\d.]+) s/, 2),
  };
  return Object.fromEntries(Object.entries(figures).filter(([, value]) => value !== undefined));
}

function readBuild(): LargeBuild {
  return existsSync(BUILD_LOG) ? (JSON.parse(readFileSync(BUILD_LOG, 'utf8')) as LargeBuild) : { steps: {} };
}

function queryOne<T>(sql: string): T | null {
  if (!existsSync(LARGE_DATABASE)) return null;
  const db = new Database(LARGE_DATABASE, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).pluck().get() as T;
  } catch {
    return null;
  } finally {
    db.close();
  }
}

/** Trains the model and embeds every paper with the functions `dailypapers index --embed` runs, each timed. */
async function trainAndEmbed(log: (line: string) => void): Promise<NonNullable<LargeBuild['index']>> {
  const store = await openSqliteStore(LARGE_DATABASE);
  try {
    let started = performance.now();
    const model = await trainEmbeddingModel(store, { onProgress: (line) => log(`  ${line}`) });
    const train = (performance.now() - started) / 1000;
    log(`trained ${model.model} in ${train.toFixed(1)} s`);
    started = performance.now();
    const embedded = await embedMissingPapers(store, model, (done) => {
      if (done % 200_000 < 2_000) log(`  embedded ${done.toLocaleString('en-US')}`);
    });
    const embed = (performance.now() - started) / 1000;
    log(
      `embedded ${embedded.toLocaleString('en-US')} papers in ${embed.toFixed(1)} s (${Math.round(embedded / embed)} papers/s)`,
    );
    return { train, embed, embedded };
  } finally {
    await store.close();
  }
}

/** Imports (once) and embeds (resuming) the large corpus; returns the paper count and the build log. */
export async function ensureLargeDatabase(
  log: (line: string) => void,
  options: { importOnly?: boolean } = {},
): Promise<LargeBuild> {
  const build = readBuild();
  const timed = async (step: string, run: () => Promise<void>) => {
    const started = performance.now();
    await run();
    build.steps[step] = (performance.now() - started) / 1000;
    writeFileSync(BUILD_LOG, `${JSON.stringify(build, null, 2)}\n`);
    log(`${step}: ${build.steps[step]?.toFixed(1)} s`);
  };
  if (queryOne<number>('SELECT count(*) FROM papers') !== LARGE_CORPUS_PAPERS) {
    const shards = await ensureCorpus(log);
    log(`building ${LARGE_DATABASE} through the CLI`);
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(LARGE_DATABASE + suffix, { force: true });
    build.steps = {};
    // The 80,017 real papers first, exactly as the 84k benchmarks import them.
    await timed('import shared files', () =>
      ensureFullDatabase(log, { rebuild: true, path: LARGE_DATABASE }).then(() => {}),
    );
    for (const shard of shards) {
      await timed(`import ${shard.slice(ROOT.length + 1)}`, () =>
        runCli(['import', 'arxiv-jsonl', shard], { DATABASE_URL: LARGE_DATABASE }),
      );
    }
  }
  const papers = queryOne<number>('SELECT count(*) FROM papers');
  if (papers !== LARGE_CORPUS_PAPERS)
    throw new Error(`expected ${LARGE_CORPUS_PAPERS} papers, got ${papers}`);
  if (options.importOnly) return build;
  const vectors = queryOne<number>('SELECT count(*) FROM paper_vectors') ?? 0;
  const partitions = queryOne<number>('SELECT count(*) FROM vector_partitions') ?? 0;
  if (vectors < papers) {
    await timed('train and embed', async () => {
      build.index = await trainAndEmbed(log);
    });
  }
  if (partitions === 0) {
    // The real command: finds every paper embedded, then builds and saves the partitions.
    await timed('index --embed', async () => {
      const { lines, peakMb } = await runMeasured(['index', '--embed']);
      build.index = { ...build.index, ...indexFigures(lines) };
      build.indexPeakMb = peakMb;
    });
  }
  log(
    `${LARGE_DATABASE}: ${papers.toLocaleString('en-US')} papers, ${Math.round(statSync(LARGE_DATABASE).size / 2 ** 20)} MB`,
  );
  return build;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await ensureLargeDatabase((line) => console.log(`[large-data] ${line}`), {
    importOnly: process.argv.includes('--import-only'),
  });
}
