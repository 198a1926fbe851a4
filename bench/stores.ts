// npm run bench:stores — the same workload on SQLite and on PostgreSQL, side by side:
// import the shared arXiv file through the CLI; 10,000 mixed reads (day pages, paper pages, searches) from 10
// clients; 10,000 upvotes from 200 concurrent members. PostgreSQL is a throwaway cluster (or DATABASE_URL's server).
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase } from '../scripts/lib/postgres.ts';
import { parseDatabaseUrl } from '../src/config.ts';
import { startSession } from '../src/services/accounts.ts';
import { openStore } from '../src/store/open-store.ts';
import { CSRF_COOKIE, SESSION_COOKIE } from '../src/web/request-context.ts';
import { startBenchServer, stopBenchServer } from './lib/bench-server.ts';
import { writeDocsSection } from './lib/docs-section.ts';
import { runCli, SHARED_DATA } from './lib/full-data.ts';
import { percentile } from './lib/percentile.ts';

const ARXIV_FILE = join(SHARED_DATA, 'arxiv-listings-2025-2026.jsonl.gz');
const READS = 10_000;
const READ_CLIENTS = 10;
const VOTERS = 200;
const VOTES_PER_VOTER = 50;
const CSRF = 'b'.repeat(32);

const log = (line: string) => process.stderr.write(`${line}\n`);

interface Timed {
  seconds: number;
  latencies: number[];
  failures: number;
}

interface StoreFigures {
  importSeconds: number;
  papers: number;
  reads: Timed;
  votes: Timed;
  exactVotes: boolean;
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

async function measureStore(kind: string, databaseUrl: string): Promise<StoreFigures> {
  log(`${kind}: importing ${ARXIV_FILE}`);
  const importStarted = performance.now();
  await runCli(['import', 'arxiv-jsonl', '--list-on-day', ARXIV_FILE], { DATABASE_URL: databaseUrl });
  const importSeconds = (performance.now() - importStarted) / 1000;

  const store = await openStore(parseDatabaseUrl(databaseUrl));
  const papers = await store.papers.countPapers();
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
      role: 'member',
    });
    members.push(await startSession(store, member));
  }

  const server = await startBenchServer(databaseUrl, log);
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
    const votes = members.flatMap((token) =>
      votePapers.map((paperId) => async () => {
        const response = await fetch(`${base}/papers/${paperId}/upvote`, {
          method: 'POST',
          headers: {
            accept: 'application/json',
            'content-type': 'application/json',
            'x-csrf-token': CSRF,
            cookie: `${SESSION_COOKIE}=${token}; ${CSRF_COOKIE}=${CSRF}`,
          },
          body: JSON.stringify({ upvoted: true }),
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
    return { importSeconds, papers, reads, votes: voteTiming, exactVotes };
  } finally {
    await stopBenchServer(server);
    await store.close();
  }
}

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
log(`machine: ${machine}`);
const dir = mkdtempSync(join(tmpdir(), 'dailypapers-bench-stores-'));
try {
  const sqlite = await measureStore('SQLite', `sqlite:${join(dir, 'bench.db')}`);
  const database = await createTestDatabase();
  let postgres: StoreFigures;
  try {
    postgres = await measureStore('PostgreSQL', database.url);
  } finally {
    await database.drop();
  }

  const rate = (timed: Timed) => timed.latencies.length / timed.seconds;
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  const rows: Array<[string, (f: StoreFigures) => number, (v: number) => string, 'higher' | 'lower']> = [
    ['import arXiv file (s)', (f) => f.importSeconds, (v) => `${v.toFixed(1)} s`, 'lower'],
    ['reads/s (10 clients)', (f) => rate(f.reads), (v) => v.toFixed(0), 'higher'],
    ['read p50', (f) => percentile(f.reads.latencies, 50), ms, 'lower'],
    ['read p99', (f) => percentile(f.reads.latencies, 99), ms, 'lower'],
    ['upvotes/s (200 clients)', (f) => rate(f.votes), (v) => v.toFixed(0), 'higher'],
    ['upvote p50', (f) => percentile(f.votes.latencies, 50), ms, 'lower'],
    ['upvote p99', (f) => percentile(f.votes.latencies, 99), ms, 'lower'],
  ];
  const table = [
    '| workload | SQLite | PostgreSQL | PostgreSQL ÷ SQLite |',
    '|---|---:|---:|---:|',
    ...rows.map(([name, pick, format]) => {
      const a = pick(sqlite);
      const b = pick(postgres);
      return `| ${name} | ${format(a)} | ${format(b)} | ${(b / a).toFixed(2)} |`;
    }),
  ];
  const checks = [sqlite, postgres].map(
    (f, i) =>
      `${i === 0 ? 'SQLite' : 'PostgreSQL'}: ${f.papers.toLocaleString('en-US')} papers, ${f.reads.failures} failed reads, ${f.votes.failures} failed upvotes, counts ${f.exactVotes ? 'exact' : 'WRONG'}`,
  );
  for (const line of [...table, ...checks]) console.log(line);
  writeDocsSection(
    '## Stores',
    [
      '## Stores',
      '',
      `\`npm run bench:stores\` on ${machine}. One \`serve\` process per store; PostgreSQL 15 is a throwaway local cluster (fsync off). The import is \`dailypapers import arxiv-jsonl --list-on-day\` of the shared 74,728-paper file (each paper listed on its day); reads are 40% day pages, 40% paper pages, 20% searches (keyword only: no model trained), from ${READ_CLIENTS} clients; upvotes are ${VOTERS} members voting on the same ${VOTES_PER_VOTER} papers at once.`,
      '',
      ...table,
      '',
      ...checks.map((line) => `- ${line}`),
    ].join('\n'),
  );
  if (!sqlite.exactVotes || !postgres.exactVotes) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
