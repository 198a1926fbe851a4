// npm run bench:worker-memory — resident memory of each web process of `serve --workers 4` on PostgreSQL, with
// vectors searched by pgvector and with an in-process vector index (PGVECTOR=off), on the shared arXiv and
// Hugging Face files (80,017 papers) embedded by `index --embed`. PostgreSQL is a throwaway cluster (or
// DATABASE_URL's server).
import { cpus, totalmem } from 'node:os';
import { createTestDatabase, pgvectorMissing } from '../scripts/lib/postgres.ts';
import { writeDocsSection } from './lib/docs-section.ts';
import { INPUTS, runCli } from './lib/full-data.ts';
import { rssSummary, workerRss } from './lib/worker-rss.ts';

const WORKERS = 4;
const SEARCHES = 400;

const log = (line: string) => process.stderr.write(`${line}\n`);

const measure = (databaseUrl: string, pgvector: 'auto' | 'off') =>
  workerRss(databaseUrl, { workers: WORKERS, searches: SEARCHES, env: { PGVECTOR: pgvector } }, log);

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
  const table = [
    `| vectors (serve --workers ${WORKERS}) | RSS per web process |`,
    '|---|---:|',
    ...figures.map(([name, values]) => `| ${name} | ${rssSummary(values)} |`),
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
