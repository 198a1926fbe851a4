// npm run bench:did-you-mean — "did you mean" on the 80k site (bench:web's cached database): reading the keyword
// index's vocabulary (wall time, CPU of the whole process, and how long the event loop was busy with it), then
// suggestions for misspelled queries, first and again. With --postgres, also PostgreSQL's ts_stat over the same
// papers' search vectors (migration 004's vector) in a throwaway cluster.
//
//   npm run bench:did-you-mean
//   npm run bench:did-you-mean -- --postgres
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import { createTestDatabase } from '../scripts/lib/postgres.ts';
import { parseSearchQuery } from '../src/domain/search-query.ts';
import { countSiteWords, suggestSpelling } from '../src/services/spelling-suggestions.ts';
import { openStore } from '../src/store/open-store.ts';
import { ensureFullDatabase, FULL_DATABASE } from './lib/full-data.ts';

const { values: args } = parseArgs({ options: { postgres: { type: 'boolean', default: false } } });
const log = (line: string) => console.log(`[bench:did-you-mean] ${line}`);
const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(', ');
const TYPOS = [
  'transfromer',
  'difusion models',
  'reinforcment learning',
  'segmentaton',
  'langauge model',
  'studyng graph neurl networks',
  'retreival augmented generation',
  'quantizaton',
  'multimodal reasonning',
  'knowlege distillation',
];

/** Wall ms, process CPU ms (every thread) and event-loop busy ms of `work`. */
async function measured<T>(
  work: () => Promise<T>,
): Promise<{ result: T; wall: number; cpu: number; loop: number }> {
  const loopBefore = performance.eventLoopUtilization();
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  const result = await work();
  const wall = performance.now() - start;
  const cpu = process.cpuUsage(cpuBefore);
  const loop = performance.eventLoopUtilization(loopBefore);
  return { result, wall, cpu: (cpu.user + cpu.system) / 1000, loop: loop.active };
}

const ms = (value: number) => `${value.toFixed(1)} ms`;

await ensureFullDatabase(log);
const store = await openStore({ kind: 'sqlite', path: FULL_DATABASE });
log(`load average ${load()}`);
const reading = await measured(() => countSiteWords(store));
log(
  `SQLite: vocabulary read in ${ms(reading.wall)} (CPU ${ms(reading.cpu)}, event loop busy ${ms(reading.loop)})`,
);
for (const round of ['first', 'again']) {
  const suggesting = await measured(async () => {
    const suggestions: string[] = [];
    for (const text of TYPOS)
      suggestions.push(`${text} → ${(await suggestSpelling(store, text, parseSearchQuery(text))) ?? '-'}`);
    return suggestions;
  });
  if (round === 'first') for (const line of suggesting.result) log(`  ${line}`);
  log(
    `SQLite: ${TYPOS.length} misspelled queries, ${round}: ${ms(suggesting.wall / TYPOS.length)} each (CPU ${ms(suggesting.cpu / TYPOS.length)})`,
  );
}
await store.close();

if (args.postgres) {
  const database = await createTestDatabase();
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    await client.query(`CREATE TABLE papers (title text, abstract text, authors_text text,
      search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, translate(title, '-./@:+<>&', '         ')), 'A') ||
        setweight(to_tsvector('english'::regconfig, translate(authors_text, '-./@:+<>&', '         ')), 'B') ||
        setweight(to_tsvector('english'::regconfig, translate(abstract, '-./@:+<>&', '         ')), 'C')
      ) STORED)`);
    await client.query('ALTER TABLE papers ALTER COLUMN search_vector SET STORAGE MAIN');
    const sqlite = new Database(FULL_DATABASE, { readonly: true });
    const rows = sqlite.prepare('SELECT title, abstract, authors_text FROM papers').raw().all() as string[][];
    sqlite.close();
    for (let start = 0; start < rows.length; start += 2_000) {
      const batch = rows.slice(start, start + 2_000);
      await client.query(
        `INSERT INTO papers (title, abstract, authors_text) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])`,
        [0, 1, 2].map((column) => batch.map((row) => row[column])),
      );
    }
    await client.query('VACUUM ANALYZE papers');
    log(`PostgreSQL: ${rows.length} papers loaded; load average ${load()}`);
    for (const round of ['first', 'again']) {
      const start = performance.now();
      const { rows: terms } = await client.query(
        `SELECT word AS term, ndoc AS papers FROM ts_stat('SELECT search_vector FROM papers') WHERE ndoc >= 3`,
      );
      log(`PostgreSQL: ts_stat, ${round}: ${terms.length} terms in ${ms(performance.now() - start)}`);
    }
  } finally {
    await client.end();
    await database.drop();
  }
}
