// npm run bench:worker-memory — resident memory of each web process of `serve --workers 4` on PostgreSQL, with
// vectors searched by pgvector and with an in-process vector index (PGVECTOR=off), on the shared arXiv and
// Hugging Face files (80,017 papers) embedded by `index --embed`. PostgreSQL is a throwaway cluster (or
// DATABASE_URL's server).
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { childPids } from '../scripts/lib/child-pids.ts';
import { createTestDatabase, pgvectorMissing } from '../scripts/lib/postgres.ts';
import { startBenchServer, stopBenchServer } from './lib/bench-server.ts';
import { writeDocsSection } from './lib/docs-section.ts';
import { INPUTS, runCli } from './lib/full-data.ts';

const WORKERS = 4;
const SEARCHES = 400;
const QUERIES = [
  'diffusion models for video',
  'robot grasping',
  'protein folding',
  'retrieval augmented generation',
];

const log = (line: string) => process.stderr.write(`${line}\n`);

/** Resident set of a process, MiB (VmRSS in /proc). */
function rssMib(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? 0) / 1024;
}

async function measure(databaseUrl: string, pgvector: 'auto' | 'off'): Promise<number[]> {
  process.env.PGVECTOR = pgvector;
  const server = await startBenchServer(databaseUrl, log, ['--workers', String(WORKERS)]);
  try {
    const deadline = Date.now() + 300_000;
    while (
      childPids(server.child.pid as number).length < WORKERS ||
      !/web processes\)/.test(server.output())
    ) {
      if (Date.now() > deadline) throw new Error(`the web processes did not start:\n${server.output()}`);
      await new Promise((done) => setTimeout(done, 500));
    }
    log(server.output().trim());
    // Hybrid searches through every process, so each has loaded what search needs.
    for (let i = 0; i < SEARCHES; i++) {
      const response = await fetch(
        `${server.base}/search?q=${encodeURIComponent(QUERIES[i % QUERIES.length] ?? '')}`,
      );
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`search answered ${response.status}`);
    }
    return childPids(server.child.pid as number).map(rssMib);
  } finally {
    await stopBenchServer(server);
  }
}

const missing = pgvectorMissing();
if (missing) throw new Error(missing);
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
log(`machine: ${machine}`);
const database = await createTestDatabase();
try {
  for (const input of INPUTS) {
    log(`importing ${input.file}`);
    await runCli(['import', input.source, input.file, ...input.flags], { DATABASE_URL: database.url });
  }
  await runCli(['index', '--embed'], { DATABASE_URL: database.url, PGVECTOR: 'auto' });
  const figures = [
    ['PostgreSQL + pgvector', await measure(database.url, 'auto')],
    ['PostgreSQL, in-process index', await measure(database.url, 'off')],
  ] as const;
  const mib = (values: readonly number[]) =>
    `${Math.round(Math.max(...values))} MiB max, ${Math.round(values.reduce((a, b) => a + b, 0) / values.length)} MiB mean`;
  const table = [
    `| vectors (serve --workers ${WORKERS}) | RSS per web process |`,
    '|---|---:|',
    ...figures.map(([name, values]) => `| ${name} | ${mib(values)} |`),
  ];
  for (const line of table) console.log(line);
  writeDocsSection(
    '## Worker memory',
    [
      '## Worker memory',
      '',
      `\`npm run bench:worker-memory\` on ${machine}: the shared arXiv and Hugging Face files (80,017 papers) in a throwaway PostgreSQL 15 cluster, embedded by \`index --embed\`; \`serve --workers ${WORKERS}\`, ${SEARCHES} hybrid searches, then each web process's VmRSS.`,
      '',
      ...table,
    ].join('\n'),
  );
} finally {
  await database.drop();
}
