// bench:search with `--store postgres`: the SQLite benchmark database copied by the real `dailypapers db copy`
// into a PostgreSQL 15 + pgvector cluster kept beside it (<database>-pg/, reused by later runs, started and stopped
// here), then searched as the web searches with pgvector: keyword / semantic / hybrid latency and CPU (this
// process's and the server's), recall@10 of the HNSW search against exact float32 search, and each web process's
// RSS under `serve --workers 4`. Each step's time is kept in <database>-pg.build.json, so a run stopped part-way
// goes on from the last step done.
import { existsSync, readFileSync, rmSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { childPids } from '../../scripts/lib/child-pids.ts';
import { postmasterPid, startKeptCluster } from '../../scripts/lib/postgres.ts';
import { DatabaseVectorSearch } from '../../src/search-index/database-vector-search.ts';
import { openPostgresStore } from '../../src/store/postgres/index.ts';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import { loadDevSet } from '../eval-search.ts';
import { exactReference, recallAt10 } from './ann-recall.ts';
import { writeDocsSection } from './docs-section.ts';
import { runCliMeasured } from './full-data.ts';
import { cpuSeconds } from './proc-stats.ts';
import { SEARCH_MODES, timeSearchMode } from './search-latency.ts';
import { rssSummary, workerRss } from './worker-rss.ts';

const WORKERS = 4;
const WORKER_SEARCHES = 400;
const WARM_UP = 50;

interface PgBuild {
  /** What was copied (papers, last doc_id, embedding model): another source database means a new cluster. */
  source?: string;
  /** `db copy` as a whole and its steps (seconds), the index's memory (MB) and the command's peak RSS (MB). */
  copy?: {
    seconds: number;
    rows?: number;
    vectors?: number;
    index?: number;
    indexMemoryMb?: number;
    peakRssMb: number;
    load: string;
  };
  /** pgvector's table filled and indexed when the store opened, after a `db copy` stopped during that step. */
  resumedFill?: number;
  vacuum?: number;
}

const number = (value: number) => Math.round(value).toLocaleString('en-US');
const load = () =>
  loadavg()
    .map((value) => value.toFixed(1))
    .join(', ');

/** Seconds a `db copy` line reports: `rows copied in 12.3 s`, `copying vectors: 80,017 in 4.5 s`. */
function reported(lines: string, pattern: RegExp): number | undefined {
  const value = pattern.exec(lines)?.[1];
  return value === undefined ? undefined : Number(value.replaceAll(',', ''));
}

function sourceFingerprint(sqlitePath: string): string {
  const source = new Database(sqlitePath, { readonly: true, fileMustExist: true });
  try {
    const papers = source.prepare('SELECT count(*) AS count, max(doc_id) AS last FROM papers').get() as {
      count: number;
      last: number;
    };
    const model = source.prepare('SELECT model FROM embedding_models').pluck().get() as string | undefined;
    return `${papers.count} papers up to doc_id ${papers.last}, model ${model ?? 'none'}`;
  } finally {
    source.close();
  }
}

/**
 * CPU seconds of every process of the cluster: its server processes are the postmaster's children, and those that
 * ended (a pooled connection closed when idle) count in the postmaster's own figure.
 */
function clusterCpuSeconds(dir: string): number {
  const pid = postmasterPid(dir);
  if (pid === null) return 0;
  return childPids(pid).reduce((sum, child) => sum + (cpuSeconds(child) ?? 0), cpuSeconds(pid, true) ?? 0);
}

async function createDatabase(serverUrl: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function queryNumber(url: string, sql: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ value: string | null }>(sql);
    return Number(result.rows[0]?.value ?? 0);
  } finally {
    await client.end();
  }
}

async function queryCounts(url: string): Promise<{ papers: number; vectors: number }> {
  return {
    papers: await queryNumber(url, 'SELECT count(*) AS value FROM papers'),
    vectors: await queryNumber(url, 'SELECT count(*) AS value FROM paper_vectors'),
  };
}

/** Copies the SQLite database into the cluster unless an earlier run did; fills pgvector's table if it stopped there. */
async function copyIntoCluster(
  sqlitePath: string,
  url: string,
  build: PgBuild,
  save: () => void,
  log: (line: string) => void,
): Promise<void> {
  if (build.copy) {
    log(`reusing the copy made by an earlier run (db copy took ${number(build.copy.seconds)} s)`);
    return;
  }
  const source = new Database(sqlitePath, { readonly: true, fileMustExist: true });
  const count = (table: string) => source.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  const expected = { papers: count('papers'), vectors: count('paper_vectors') };
  source.close();
  const copied = await queryCounts(url).catch(() => ({ papers: 0, vectors: 0 }));
  if (copied.papers === expected.papers && copied.vectors === expected.vectors) {
    // The rows' transaction committed and pgvector's fill was stopped: copying every row again would only write a
    // second version of each. Opening the store fills pgvector's table and builds its index.
    log('the rows were copied by an earlier run; filling pgvector and building its index');
    const started = performance.now();
    const store = await openPostgresStore(url, {
      vectorFill: {
        onProgress: (step, done, total) => {
          if (done === total || done % 250_000 < 5_000) log(`  ${step}: ${number(done)} of ${number(total)}`);
        },
        onNote: (line) => log(`  ${line}`),
      },
    });
    await store.close();
    build.resumedFill = (performance.now() - started) / 1000;
    build.copy = { seconds: build.resumedFill, peakRssMb: 0, load: load() };
    save();
    return;
  }
  // At 80k papers the database took 1.5 times the SQLite file (vectors twice, pgvector's index), beside the WAL
  // kept (max_wal_size 2 GB, a little more while a checkpoint runs).
  const free = statfsSync(dirname(sqlitePath));
  log(
    `disk: ${number((free.bavail * free.bsize) / 2 ** 30)} GiB free; the copy will take about ${number((1.6 * statSync(sqlitePath).size) / 2 ** 30 + 3)} GiB`,
  );
  log(`dailypapers db copy --from sqlite:${sqlitePath} (load average ${load()})`);
  const run = await runCliMeasured(
    ['db', 'copy', '--from', `sqlite:${sqlitePath}`, '--to', url],
    { PGVECTOR: 'auto' },
    (line) => log(`  ${line}`),
  );
  build.copy = {
    seconds: run.seconds,
    rows: reported(run.stderr, /rows copied in ([\d.]+) s/),
    vectors: reported(run.stderr, /copying vectors: [\d,]+ in ([\d.]+) s/),
    index: reported(run.stderr, /building the HNSW index: [\d,]+ in ([\d.]+) s/),
    indexMemoryMb: reported(run.stderr, /maintenance_work_mem ([\d,]+) MB/),
    peakRssMb: run.peakRssMb,
    load: load(),
  };
  save();
  log(`db copy: ${JSON.stringify(build.copy)}`);
}

export interface PgvectorBenchOptions {
  sqlitePath: string;
  /** The 2.7M-paper database (its targets, more shared_buffers, longer server starts), not the shared 80k one. */
  large: boolean;
  docs: boolean;
  log: (line: string) => void;
}

export async function benchPgvectorSearch({
  sqlitePath,
  large,
  docs,
  log,
}: PgvectorBenchOptions): Promise<void> {
  const dir = `${sqlitePath.replace(/\.db$/, '')}-pg`;
  const buildFile = `${dir}.build.json`;
  let build: PgBuild = existsSync(buildFile) ? (JSON.parse(readFileSync(buildFile, 'utf8')) as PgBuild) : {};
  const source = sourceFingerprint(sqlitePath);
  if (build.source !== source) {
    if (existsSync(dir))
      log(`${dir} holds a copy of another database (${build.source ?? 'unknown'}): made anew`);
    rmSync(dir, { recursive: true, force: true });
    build = { source };
  }
  const save = () => writeFileSync(buildFile, `${JSON.stringify(build, null, 2)}\n`);
  // Room for the papers table and the HNSW index at 2.7M (about 9 GB of graph: the OS cache holds the rest).
  const sharedBuffers = large ? '4GB' : '1GB';
  log(`PostgreSQL cluster in ${dir} (shared_buffers ${sharedBuffers})`);
  const cluster = await startKeptCluster(dir, sharedBuffers);
  // Written before the copy: a run stopped during it finds the cluster its own and resumes (copyIntoCluster).
  save();
  try {
    const url = await createDatabase(cluster.url, 'dailypapers');
    await copyIntoCluster(sqlitePath, url, build, save, log);
    if (build.vacuum === undefined) {
      const started = performance.now();
      await queryNumber(url, 'VACUUM ANALYZE');
      build.vacuum = (performance.now() - started) / 1000;
      save();
      log(`VACUUM ANALYZE after the copy: ${build.vacuum.toFixed(1)} s`);
    }
    await measure(url, cluster.dir, build, { sqlitePath, large, docs, log });
  } finally {
    cluster.stop();
  }
}

async function measure(
  url: string,
  dir: string,
  build: PgBuild,
  { sqlitePath, large, docs, log }: PgvectorBenchOptions,
): Promise<void> {
  const store = await openPostgresStore(url);
  if (store.vectors.vectorSearch !== 'pgvector') throw new Error('the cluster has no pgvector');
  const semantic = await DatabaseVectorSearch.open(store);
  if (!semantic) throw new Error('no embedding model in the database');
  const papers = await store.papers.countPapers({});
  const indexed = await queryNumber(url, 'SELECT count(*) AS value FROM paper_embeddings');
  const vectors = await queryNumber(url, 'SELECT count(*) AS value FROM paper_vectors');
  if (indexed !== vectors) throw new Error(`pgvector holds ${indexed} of the ${vectors} vectors`);
  log(`${number(papers)} papers, ${number(indexed)} vectors in pgvector (${semantic.model})`);

  const queries = (await loadDevSet(500)).slice(0, 1000);
  log(`${queries.length} queries; load average ${load()}`);
  const rows: string[] = [];
  const p50: Record<string, number> = {};
  for (const mode of SEARCH_MODES) {
    const serverBefore = clusterCpuSeconds(dir);
    const latency = await timeSearchMode({ store, semantic }, queries, mode, WARM_UP);
    const serverMs = ((clusterCpuSeconds(dir) - serverBefore) * 1000) / (queries.length + WARM_UP);
    p50[mode] = latency.p50;
    const row = `| ${mode} | ${latency.p50.toFixed(1)} ms | ${latency.p95.toFixed(1)} ms | ${latency.p99.toFixed(1)} ms | ${latency.cpuMs.toFixed(1)} ms | ${serverMs.toFixed(1)} ms |`;
    log(row);
    rows.push(row);
  }

  const sqlite = await openSqliteStore(sqlitePath);
  const exactStarted = performance.now();
  const exact = await exactReference(
    sqlite,
    semantic.embedder,
    queries.map((query) => query.text),
  );
  await sqlite.close();
  log(`exact float32 top 10 of every query in ${((performance.now() - exactStarted) / 1000).toFixed(1)} s`);
  const { recall, p50Ms } = await recallAt10((text) => semantic.search(text, 10), queries, exact);
  log(
    `pgvector semantic search: recall@10 ${recall.toFixed(3)} against exact float32 (p50 ${p50Ms.toFixed(1)} ms)`,
  );

  const sizes = {
    database: await queryNumber(url, 'SELECT pg_database_size(current_database()) AS value'),
    embeddings: await queryNumber(url, "SELECT pg_table_size('paper_embeddings') AS value"),
    index: await queryNumber(url, "SELECT pg_indexes_size('paper_embeddings') AS value"),
  };
  await store.close();

  log(`serve --workers ${WORKERS}: RSS of each web process after ${WORKER_SEARCHES} hybrid searches`);
  // Each web process reads what it needs from the database as it starts: minutes at 2.7M papers on a busy machine.
  const rss = await workerRss(
    url,
    {
      workers: WORKERS,
      searches: WORKER_SEARCHES,
      env: { PGVECTOR: 'auto' },
      startSeconds: large ? 3_600 : 900,
    },
    log,
  );
  log(`RSS per web process: ${rssSummary(rss)}`);
  if (!docs) return;

  const mb = (bytes: number) => number(bytes / 2 ** 20);
  const cpu = cpus();
  const machine = `${cpu.length} × ${cpu[0]?.model.trim() ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const copy = build.copy;
  const seconds = (value: number | undefined) => (value === undefined ? '—' : `${number(value)} s`);
  const heading = large
    ? '## pgvector search at scale (2.7M papers)'
    : '## pgvector search speed (80,017 papers)';
  const command = `npm run bench:search${large ? ':large' : ''} -- --store postgres`;
  const targets = large
    ? ` Targets at this size: hybrid p50 ≤ 50 ms ${(p50.hybrid ?? 0) <= 50 ? 'met' : 'not met'}; recall@10 ≥ 0.95 ${recall >= 0.95 ? 'met' : 'not met'}; RSS per web process ≤ 300 MB ${Math.max(...rss) <= 300 ? 'met' : 'not met'}.`
    : '';
  writeDocsSection(
    heading,
    `${heading} (\`${command}\`)

The ${large ? 'database of "Search at scale" above' : 'shared 80k database of "Search speed" above'} (${number(papers)} papers) copied by \`dailypapers db copy\` into a
PostgreSQL 15 cluster with pgvector 0.8 kept beside it (fsync off, shared_buffers ${large ? '4GB' : '1GB'}), then
searched as the web searches with pgvector (\`DatabaseVectorSearch\`: the query embedded in process, its nearest
vectors from the HNSW index of each of its three likeliest clusters, searched at once: a clustered model's vectors
have one partial index per cluster; ef_search twice the hits asked for and at least 64: 400 for the 200
candidates of a search, 64 for recall@10). The same ${queries.length} dev-set queries, one page of 20 each after
${WARM_UP} warm-up queries. ${machine}; load average (1, 5, 15 min) ${load()} at the end (other work shares the 2
cores). "CPU / query" is this process's CPU; "server CPU / query" that of every process of the cluster over the
timed and warm-up queries.

| search | p50 | p95 | p99 | CPU / query | server CPU / query |
| --- | --- | --- | --- | --- | --- |
${rows.join('\n')}

pgvector's semantic search finds ${(recall * 100).toFixed(1)} % of the exact float32 top 10 (recall@10 over the same
queries, p50 ${p50Ms.toFixed(1)} ms). RSS of each web process of \`serve --workers ${WORKERS}\` after ${WORKER_SEARCHES} hybrid searches:
${rssSummary(rss)}.${targets}

| build step | time |
| --- | --- |
| \`db copy\` as a whole (load average ${copy?.load ?? '?'} at its end; peak RSS ${number(copy?.peakRssMb ?? 0)} MB) | ${seconds(copy?.seconds)} |
| … the rows, one transaction | ${seconds(copy?.rows)} |
| … the vectors into pgvector's table (binary COPY, no index yet) | ${seconds(copy?.vectors)} |
| … the HNSW indexes built after, one per cluster (maintenance_work_mem ${number(copy?.indexMemoryMb ?? 0)} MB, for the largest; parallel maintenance workers where PostgreSQL plans them for the table's size) | ${seconds(copy?.index)} |${build.resumedFill === undefined ? '' : `\n| pgvector filled and indexed on opening, after a copy stopped during that step | ${seconds(build.resumedFill)} |`}
| \`VACUUM ANALYZE\` | ${seconds(build.vacuum)} |

Database ${mb(sizes.database)} MB, of which pgvector's table ${mb(sizes.embeddings)} MB and its indexes ${mb(sizes.index)} MB.
Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC.
`,
  );
  log(`wrote the "${heading}" section of docs/benchmarks.md`);
}
