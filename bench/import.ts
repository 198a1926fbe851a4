// npm run bench:import — imports the full shared arXiv and Hugging Face files into a fresh SQLite database
// through the real CLI and prints papers/s and peak RSS (measured by GNU time around each process), and, measured
// in the same run, the rate of the plain bulk insert of the same rows (bench/import-limit.ts) and the ratio to it.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { ROOT, runCliMeasured } from './lib/full-data.ts';

const shared = resolve(import.meta.dirname, '../../shared/data');
const inputs = [
  {
    source: 'arxiv-jsonl',
    file: join(shared, 'arxiv-listings-2025-2026.jsonl.gz'),
    papers: 74_728,
    flags: [],
    target: 0.8,
  },
  // 291 of the file's 9,872 entries are Python-repr strings, not JSON: skipped and reported.
  {
    source: 'hf-daily',
    file: join(shared, 'hf-daily-papers-2024-2026.jsonl.gz'),
    papers: 9_872,
    flags: ['--skip-bad'],
    target: 0.6,
  },
];

for (const input of inputs) {
  if (!existsSync(input.file))
    throw new Error(`missing ${input.file}: run from a checkout with ../shared beside it`);
}

/** The plain bulk insert of the file's rows into a database of its own: papers/s. */
async function limitRate(source: string, file: string, database: string): Promise<number> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'bench/import-limit.ts'), source, file, database],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  const [papers, seconds] = out.trim().split(' ').map(Number);
  if (code !== 0 || !papers || !seconds) throw new Error(`import-limit ${source} failed: ${out}`);
  return papers / seconds;
}

const dir = mkdtempSync(join(tmpdir(), 'dailypapers-bench-'));
const database = join(dir, 'bench.db');
const rows: string[] = [];
console.log(
  `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; load average ${loadavg()
    .map((value) => value.toFixed(2))
    .join(', ')}`,
);

try {
  for (const [index, input] of inputs.entries()) {
    const limit = await limitRate(input.source, input.file, join(dir, `limit-${index}.db`));
    const { seconds, peakRssMb } = await runCliMeasured(
      ['import', input.source, input.file, ...input.flags],
      {
        DATABASE_URL: database,
      },
    );
    const rate = input.papers / seconds;
    const ratio = rate / limit;
    const row = `| ${input.source} | ${input.papers.toLocaleString('en-US')} | ${seconds.toFixed(1)} s | ${Math.round(rate).toLocaleString('en-US')} papers/s | ${Math.round(limit).toLocaleString('en-US')} papers/s | ${ratio.toFixed(2)} (target ≥ ${input.target}) | ${peakRssMb} MB |`;
    rows.push(row);
    console.log(row);
  }
  console.log(`database size: ${Math.round(statSync(database).size / 2 ** 20)} MB`);
  console.log(
    [
      '| source | papers | wall time | rate | plain bulk insert (limit) | ratio | peak RSS |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      ...rows,
    ].join('\n'),
  );
  console.log(
    `load average at the end: ${loadavg()
      .map((value) => value.toFixed(2))
      .join(', ')}`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
