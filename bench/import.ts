// npm run bench:import — imports the full shared arXiv and Hugging Face files into a fresh SQLite database
// through the real CLI and prints papers/s and peak RSS (measured by GNU time around each process).
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { runCliMeasured } from './lib/full-data.ts';

const shared = resolve(import.meta.dirname, '../../shared/data');
const inputs = [
  {
    source: 'arxiv-jsonl',
    file: join(shared, 'arxiv-listings-2025-2026.jsonl.gz'),
    papers: 74_728,
    flags: [],
  },
  // 291 of the file's 9,872 entries are Python-repr strings, not JSON: skipped and reported.
  {
    source: 'hf-daily',
    file: join(shared, 'hf-daily-papers-2024-2026.jsonl.gz'),
    papers: 9_872,
    flags: ['--skip-bad'],
  },
];

for (const input of inputs) {
  if (!existsSync(input.file))
    throw new Error(`missing ${input.file}: run from a checkout with ../shared beside it`);
}

const dir = mkdtempSync(join(tmpdir(), 'dailypapers-bench-'));
const database = join(dir, 'bench.db');
const rows: string[] = [];
console.log(
  `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
);

try {
  for (const input of inputs) {
    const { seconds, peakRssMb } = await runCliMeasured(
      ['import', input.source, input.file, ...input.flags],
      {
        DATABASE_URL: database,
      },
    );
    const rate = Math.round(input.papers / seconds);
    const row = `| ${input.source} | ${input.papers.toLocaleString('en-US')} | ${seconds.toFixed(1)} s | ${rate.toLocaleString('en-US')} papers/s | ${peakRssMb} MB |`;
    rows.push(row);
    console.log(row);
  }
  console.log(`database size: ${Math.round(statSync(database).size / 2 ** 20)} MB`);
  console.log(
    ['| source | papers | wall time | rate | peak RSS |', '| --- | --- | --- | --- | --- |', ...rows].join(
      '\n',
    ),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
