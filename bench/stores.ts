// npm run bench:stores — the same workload on SQLite, PostgreSQL (vectors in process), PostgreSQL + pgvector and
// PostgreSQL + a streaming replica (DATABASE_REPLICA_URL; pgvector where installed), side by side: import the shared
// arXiv file through the CLI (papers/s), then the Hugging Face file (80,017 papers) and `index --embed`; keyword,
// semantic and hybrid search p50/p99 over the dev-set queries; 10,000 mixed reads (day pages, paper pages,
// searches) from 10 clients; 10,000 upvotes from 200 concurrent members; RSS per web process of
// `serve --workers 4`. PostgreSQL is a throwaway cluster (or DATABASE_URL's server); the replica column a primary
// and a `pg_basebackup` replica of its own. The first column trains the embedding model; the others, holding the
// same papers, install that model and only embed. `--quick`: a fifth of the reads, votes and queries.
// `--papers N`: the first N papers of the arXiv file only, without the Hugging Face file (a quick check that the
// whole run works; no docs written).
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { createGunzip, createGzip } from 'node:zlib';
import {
  BENCH_SHARED_BUFFERS,
  createTestDatabase,
  pgvectorMissing,
  startReplicatedServers,
  type TestDatabase,
  useSharedBuffers,
} from '../scripts/lib/postgres.ts';
import { parseDatabaseUrl } from '../src/config.ts';
import { openSemanticSearch } from '../src/search-index/open-semantic-search.ts';
import { startSession } from '../src/services/accounts.ts';
import { openStore } from '../src/store/open-store.ts';
import { readsFromReplica } from '../src/store/read-routing.ts';
import { CSRF_COOKIE, SESSION_COOKIE } from '../src/web/request-context.ts';
import { loadDevSet } from './eval-search.ts';
import { startBenchServer, stopBenchServer } from './lib/bench-server.ts';
import { writeDocsSection } from './lib/docs-section.ts';
import { HF_FILE, runCli, SHARED_DATA } from './lib/full-data.ts';
import { percentile } from './lib/percentile.ts';
import { SEARCH_MODES, type SearchLatency, type SearchMode, timeSearchMode } from './lib/search-latency.ts';
import { rssSummary, workerRss } from './lib/worker-rss.ts';

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    'no-docs': { type: 'boolean', default: false },
    papers: { type: 'string' },
  },
});
const paperLimit = flags.papers === undefined ? null : Number(flags.papers);
if (paperLimit !== null && !(Number.isInteger(paperLimit) && paperLimit > 0))
  throw new Error(`--papers: a positive whole number, not ${flags.papers}`);
const scale = flags.quick ? 5 : 1;
const FULL_ARXIV_FILE = join(SHARED_DATA, 'arxiv-listings-2025-2026.jsonl.gz');
const ARXIV_PAPERS = paperLimit ?? 74_728;
const READS = 10_000 / scale;
const READ_CLIENTS = 10;
const VOTERS = 200;
const VOTES_PER_VOTER = 50 / scale;
const QUERIES = 1_000 / scale;
const WORKERS = 4;
const WORKER_SEARCHES = 400 / scale;
const CSRF = 'b'.repeat(32);

const log = (line: string) => process.stderr.write(`${line}\n`);

interface Timed {
  seconds: number;
  latencies: number[];
  failures: number;
}

interface StoreFigures {
  importSeconds: number;
  /** `index --embed`: training and embedding in the first column, embedding (and pgvector's index) in the others. */
  embedSeconds: number;
  papers: number;
  searches: Record<SearchMode, SearchLatency>;
  reads: Timed;
  votes: Timed;
  exactVotes: boolean;
  workerRss: number[];
}

/** A column of the table: where its database is and what its processes run with. */
interface StoreColumn {
  name: string;
  url: string;
  env: Record<string, string>;
  replicaUrl?: string;
}

/** Runs `requests` with `concurrency` workers; each request resolves to whether it succeeded. */
async function runLoad(requests: Array<() => Promise<boolean>>, concurrency: number): Promise<Timed> {
  const latencies: number[] = [];
  let failures = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests.length) {
        const request = requests[next++] as () => Promise<boolean>;
        const t0 = performance.now();
        if (!(await request())) failures += 1;
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return {
    seconds: (performance.now() - started) / 1000,
    latencies: latencies.sort((a, b) => a - b),
    failures,
  };
}

/** The first `papers` lines (one paper each) of the arXiv file, as a file of their own in `dir`. */
async function arxivHead(dir: string, papers: number): Promise<string> {
  const file = join(dir, `arxiv-first-${papers}.jsonl.gz`);
  async function* lines() {
    let count = 0;
    for await (const line of createInterface({
      input: createReadStream(FULL_ARXIV_FILE).pipe(createGunzip()),
    })) {
      if (count++ >= papers) break;
      yield `${line}\n`;
    }
  }
  await pipeline(lines, createGzip(), createWriteStream(file));
  return file;
}

/** The embedding model the first column trained, installed in the others (same papers) so they only embed. */
let trainedModel: { model: string; data: Buffer } | null = null;

const openColumnStore = (column: StoreColumn) => {
  const location = parseDatabaseUrl(column.url);
  return openStore(
    location.kind === 'postgres'
      ? { ...location, pgvector: column.env.PGVECTOR !== 'off', replicaUrl: column.replicaUrl }
      : location,
  );
};

async function measureStore(column: StoreColumn, arxivFile: string): Promise<StoreFigures> {
  const { name: kind, url: databaseUrl, env } = column;
  log(`${kind}: importing ${arxivFile}`);
  const importStarted = performance.now();
  await runCli(['import', 'arxiv-jsonl', '--list-on-day', arxivFile], { ...env, DATABASE_URL: databaseUrl });
  const importSeconds = (performance.now() - importStarted) / 1000;
  log(`${kind}: ${Math.round(ARXIV_PAPERS / importSeconds)} papers/s`);
  if (paperLimit === null) {
    log(`${kind}: importing ${HF_FILE}`);
    await runCli(['import', 'hf-daily', '--skip-bad', HF_FILE], { ...env, DATABASE_URL: databaseUrl });
  }
  if (trainedModel) {
    log(`${kind}: installing the model ${trainedModel.model} trained for the first column, then embedding`);
    const target = await openColumnStore(column);
    try {
      await target.vectors.setEmbeddingModel(trainedModel.model, trainedModel.data);
    } finally {
      await target.close();
    }
  } else log(`${kind}: training the embedding model, then embedding`);
  const embedStarted = performance.now();
  await runCli(['index', '--embed'], { ...env, DATABASE_URL: databaseUrl });
  const embedSeconds = (performance.now() - embedStarted) / 1000;

  const store = await openColumnStore(column);
  trainedModel ??= await store.vectors.getEmbeddingModel();
  const papers = await store.papers.countPapers();
  const semantic = await openSemanticSearch(store);
  if (!semantic) throw new Error(`${kind}: no embedding model after index --embed`);
  const queries = (await loadDevSet(QUERIES / 2)).slice(0, QUERIES);
  const searches = {} as Record<SearchMode, SearchLatency>;
  for (const mode of SEARCH_MODES) {
    log(`${kind}: ${queries.length} ${mode} searches`);
    // As the web runs a visitor's search: reads may go to the replica.
    searches[mode] = await readsFromReplica(() => timeSearchMode({ store, semantic }, queries, mode));
  }
  const listed = await store.papers.listPapers({}, { sort: 'newest', limit: 5_000 });
  const listedDays = await store.papers.listPapers(
    { days: { fromDay: '0000-01-01', toDay: '9999-12-31' } },
    { sort: 'newest', limit: 20_000 },
  );
  const days = [...new Set(listedDays.flatMap((paper) => (paper.daily ? [paper.daily.day] : [])))];
  const members: string[] = [];
  for (let i = 0; i < VOTERS; i++) {
    const member = await store.members.createMember({
      username: `voter${i}`,
      email: `voter${i}@example.org`,
      passwordHash: 'not-a-real-hash',
      emailVerified: true,
      role: 'member',
    });
    members.push(await startSession(store, member));
  }

  // Voters at addresses of their own behind the site's proxy, as on a real site: the per-address vote limit is
  // for one address, not for a site's worth of members.
  const serverEnv = {
    ...env,
    TRUST_PROXY: '127.0.0.1',
    ...(column.replicaUrl && { DATABASE_REPLICA_URL: column.replicaUrl }),
  };
  const server = await startBenchServer(databaseUrl, log, [], serverEnv);
  const base = server.base;
  try {
    // Deterministic mix: 40% day pages, 40% paper pages, 20% searches (three title words of a paper).
    const urls = Array.from({ length: READS }, (_, i) => {
      const paper = listed[(i * 7919) % listed.length];
      if (i % 5 < 2) return `/papers/date/${days[i % days.length]}`;
      if (i % 5 < 4) return `/papers/${paper?.id}`;
      const words = (paper?.title ?? 'learning').split(/\s+/).slice(0, 3).join(' ');
      return `/search?q=${encodeURIComponent(words)}`;
    });
    const get = (url: string) => async () => {
      const response = await fetch(base + url);
      await response.arrayBuffer();
      return response.status === 200;
    };
    log(`${kind}: ${READS.toLocaleString('en-US')} reads`);
    const reads = await runLoad(urls.map(get), READ_CLIENTS);

    const votePapers = listed.slice(0, VOTES_PER_VOTER).map((paper) => paper.id);
    const before = await Promise.all(votePapers.map((id) => store.papers.getPaper(id)));
    const votes = members.flatMap((token, member) =>
      votePapers.map((paperId) => async () => {
        const response = await fetch(`${base}/papers/${paperId}/upvote`, {
          method: 'POST',
          headers: {
            accept: 'application/json',
            'content-type': 'application/json',
            'x-csrf-token': CSRF,
            'x-forwarded-for': `10.20.${Math.floor(member / 250)}.${(member % 250) + 1}`,
            cookie: `${SESSION_COOKIE}=${token}; ${CSRF_COOKIE}=${CSRF}`,
          },
          body: JSON.stringify({ upvoted: 'true' }),
        });
        await response.arrayBuffer();
        return response.status === 200;
      }),
    );
    // Interleave so that the 200 clients vote on the same papers at the same time.
    const interleaved = votePapers.flatMap((_, p) =>
      members.map((__, m) => votes[m * VOTES_PER_VOTER + p] as () => Promise<boolean>),
    );
    log(`${kind}: ${interleaved.length.toLocaleString('en-US')} upvotes from ${VOTERS} clients`);
    const voteTiming = await runLoad(interleaved, VOTERS);
    const after = await Promise.all(votePapers.map((id) => store.papers.getPaper(id)));
    const exactVotes = after.every(
      (paper, i) => (paper?.upvotes ?? 0) - (before[i]?.upvotes ?? 0) === VOTERS,
    );
    return {
      importSeconds,
      embedSeconds,
      papers,
      searches,
      reads,
      votes: voteTiming,
      exactVotes,
      workerRss: [],
    };
  } finally {
    await stopBenchServer(server);
    await store.close();
  }
}

/** Every measure of one column, the RSS of `serve --workers 4` last (a server of its own). */
async function measureColumn(column: StoreColumn, arxivFile: string): Promise<StoreFigures> {
  const figures = await measureStore(column, arxivFile);
  const env = { ...column.env, ...(column.replicaUrl && { DATABASE_REPLICA_URL: column.replicaUrl }) };
  log(`${column.name}: serve --workers ${WORKERS}`);
  figures.workerRss = await workerRss(column.url, { workers: WORKERS, searches: WORKER_SEARCHES, env }, log);
  // Each column's figures as soon as it is done: a long run stopped part-way keeps what it measured.
  const { reads, votes, ...rest } = figures;
  log(
    `${column.name}: ${JSON.stringify({ ...rest, readsPerSecond: reads.latencies.length / reads.seconds, upvotesPerSecond: votes.latencies.length / votes.seconds })}`,
  );
  return figures;
}

const load = () =>
  loadavg()
    .map((value) => value.toFixed(1))
    .join(', ');
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
log(`machine: ${machine}; load average ${load()}`);
const missingPgvector = pgvectorMissing();
if (missingPgvector) throw new Error(missingPgvector);
const dir = mkdtempSync(join(tmpdir(), 'dailypapers-bench-stores-'));
const databases: TestDatabase[] = [];
useSharedBuffers(BENCH_SHARED_BUFFERS);
const results: Array<[string, StoreFigures]> = [];
const loadBefore = load();
try {
  const fresh = async () => {
    const database = await createTestDatabase();
    databases.push(database);
    return database.url;
  };
  const replicated = await startReplicatedServers();
  const columns: StoreColumn[] = [
    { name: 'SQLite', url: `sqlite:${join(dir, 'bench.db')}`, env: {} },
    { name: 'PostgreSQL', url: await fresh(), env: { PGVECTOR: 'off' } },
    { name: 'PostgreSQL + pgvector', url: await fresh(), env: { PGVECTOR: 'auto' } },
    {
      name: 'PostgreSQL + replica',
      url: replicated.primaryUrl,
      env: { PGVECTOR: 'auto' },
      replicaUrl: replicated.replicaUrl,
    },
  ];
  const arxivFile = paperLimit === null ? FULL_ARXIV_FILE : await arxivHead(dir, paperLimit);
  for (const column of columns) results.push([column.name, await measureColumn(column, arxivFile)]);
} finally {
  for (const database of databases) await database.drop().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
}

const rate = (timed: Timed) => timed.latencies.length / timed.seconds;
const ms = (value: number) => `${value.toFixed(1)} ms`;
const rows: Array<[string, (f: StoreFigures) => string]> = [
  ['import arXiv file (papers/s)', (f) => Math.round(ARXIV_PAPERS / f.importSeconds).toLocaleString('en-US')],
  ['`index --embed` (first column: with training)', (f) => `${f.embedSeconds.toFixed(0)} s`],
  ...SEARCH_MODES.flatMap(
    (mode): Array<[string, (f: StoreFigures) => string]> => [
      [`${mode} search p50`, (f) => ms(f.searches[mode].p50)],
      [`${mode} search p99`, (f) => ms(f.searches[mode].p99)],
    ],
  ),
  [`reads/s (${READ_CLIENTS} clients)`, (f) => rate(f.reads).toFixed(0)],
  ['read p50', (f) => ms(percentile(f.reads.latencies, 50))],
  ['read p99', (f) => ms(percentile(f.reads.latencies, 99))],
  [`upvotes/s (${VOTERS} clients)`, (f) => rate(f.votes).toFixed(0)],
  ['upvote p50', (f) => ms(percentile(f.votes.latencies, 50))],
  ['upvote p99', (f) => ms(percentile(f.votes.latencies, 99))],
  [`RSS per web process (serve --workers ${WORKERS})`, (f) => rssSummary(f.workerRss)],
];
const table = [
  `| workload | ${results.map(([name]) => name).join(' | ')} |`,
  `|---|${results.map(() => '---:').join('|')}|`,
  ...rows.map(([name, show]) => `| ${name} | ${results.map(([, f]) => show(f)).join(' | ')} |`),
];
const checks = results.map(
  ([name, f]) =>
    `${name}: ${f.papers.toLocaleString('en-US')} papers, ${f.reads.failures} failed reads, ${f.votes.failures} failed upvotes, counts ${f.exactVotes ? 'exact' : 'WRONG'}`,
);
const loads = `load average (1, 5, 15 min) ${loadBefore} at the start, ${load()} at the end`;
for (const line of [...table, ...checks, loads]) console.log(line);
if (!flags['no-docs'] && paperLimit === null)
  writeDocsSection(
    '## Stores',
    [
      '## Stores',
      '',
      `\`npm run bench:stores${flags.quick ? ' -- --quick' : ''}\` on ${machine}; ${loads}. PostgreSQL 15 is a throwaway local cluster (fsync off, shared_buffers ${BENCH_SHARED_BUFFERS}); \`PostgreSQL\` keeps vectors in each web process (\`PGVECTOR=off\`), \`+ pgvector\` searches them in the database, \`+ replica\` is a primary with pgvector and a streaming replica made by \`pg_basebackup\` (\`DATABASE_REPLICA_URL\`; the in-process searches read it as the web's do). The import is \`dailypapers import arxiv-jsonl --list-on-day\` of the shared ${ARXIV_PAPERS.toLocaleString('en-US')}-paper file; then the Hugging Face file (80,017 papers in all) and \`index --embed\` (the SQLite column trains the embedding model, the others install it and only embed). Searches: the ${QUERIES} dev-set queries of \`eval:search\`, one page of 20 each, in process after 50 warm-up queries. Reads are 40% day pages, 40% paper pages, 20% searches from ${READ_CLIENTS} clients against one \`serve\` process; upvotes are ${VOTERS} members voting on the same ${VOTES_PER_VOTER} papers at once; RSS is each web process's after ${WORKER_SEARCHES} hybrid searches through \`serve --workers ${WORKERS}\`.`,
      '',
      ...table,
      '',
      ...checks.map((line) => `- ${line}`),
    ].join('\n'),
  );
if (results.some(([, f]) => !f.exactVotes)) process.exitCode = 1;
