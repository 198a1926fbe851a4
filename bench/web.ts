// npm run bench:web — the 80k-paper site (both shared files imported through the CLI, `dailypapers index --embed`
// done; built once into a cached file) served by the real server in a child process, loaded with autocannon over
// loopback against a ceiling measured in the same run: the same bytes of `/` from a minimal node:http server.
// Pages that differ per request cycle through many URLs: uncached day pages (a query string no one else asks
// for), 3,000 paper pages, the API list of every day, feeds, search page and API over 250 real queries.
// Interleaved rounds; prints the median per page of req/s, p50/p99, server CPU per request, ratio to the
// ceiling, and the server's RSS at idle and after the load. Writes the table into docs/benchmarks.md ("## Web").
//
//   npm run bench:web                                  the standard run (10 connections, 3 rounds of 5 s)
//   npm run bench:web -- --rounds 1 --only day --only paper   explore; docs are only written for the standard run
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import autocannon, { type Result } from 'autocannon';
import Database from 'better-sqlite3';
import { type RunningServer, startBenchServer, stopBenchServer } from './lib/bench-server.ts';
import { BENCHMARKS_DOC, writeDocsSection } from './lib/docs-section.ts';
import { ensureFullDatabase, FULL_DATABASE, ROOT, runCliMeasured } from './lib/full-data.ts';
import { cpuSeconds, machineBusySeconds, rssMb } from './lib/proc-stats.ts';
import { loadWebQueries } from './lib/web-queries.ts';

const database = FULL_DATABASE;
const PAPER_PAGES = 3_000;
/** Targets of issue 15, as ratios to the ceiling. */
const TARGETS = { uncached: 0.3, search: 0.07, p99Ms: 50 };

const { values: args } = parseArgs({
  options: {
    connections: { type: 'string', default: '10' },
    duration: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '1' },
    rounds: { type: 'string', default: '3' },
    only: { type: 'string', multiple: true },
    rebuild: { type: 'boolean', default: false },
  },
});
const connections = Number(args.connections);
const duration = Number(args.duration);
const warmup = Number(args.warmup);
const rounds = Number(args.rounds);
for (const [name, value] of Object.entries({ connections, duration, rounds }))
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name}: a positive integer`);
if (!Number.isInteger(warmup) || warmup < 0) throw new Error('--warmup: seconds, 0 or more');
const standardRun = connections === 10 && duration === 5 && rounds === 3 && warmup === 1 && !args.only;

const log = (line: string) => console.log(`[bench:web] ${line}`);
const number = new Intl.NumberFormat('en-US');
const cpu = cpus();
const machine = `${cpu.length} × ${cpu[0]?.model.trim() ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(', ');

/** The 80k site as a running one has it; `index --embed` is a no-op once every paper has its vector. */
async function ensureDatabase(): Promise<number> {
  const papers = await ensureFullDatabase(log, { rebuild: args.rebuild });
  const run = await runCliMeasured(['index', '--embed'], { DATABASE_URL: database });
  log(`dailypapers index --embed: ${run.seconds.toFixed(1)} s, peak RSS ${run.peakRssMb} MB`);
  return papers;
}

/** What the load cycles through: days with listings, and papers spread over the id range. */
function siteUrls(): { days: string[]; paperIds: string[] } {
  const db = new Database(database, { readonly: true, fileMustExist: true });
  try {
    const days = db.prepare('SELECT DISTINCT day FROM daily_entries ORDER BY day').pluck().all() as string[];
    const ids = db.prepare('SELECT id FROM papers WHERE hidden = 0 ORDER BY id').pluck().all() as string[];
    const step = ids.length / PAPER_PAGES;
    return { days, paperIds: Array.from({ length: PAPER_PAGES }, (_, i) => ids[Math.floor(i * step)] ?? '') };
  } finally {
    db.close();
  }
}

interface Target {
  name: string;
  label: string;
  kind: 'ceiling' | 'cached' | 'uncached' | 'search';
  /** The paths requested in turn. */
  paths: string[];
  /** The process answering (the site, or the ceiling's static server). */
  pid: () => number | undefined;
  base: () => string;
}

interface Sample {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  cpuPerRequestUs: number | null;
  otherCores: number | null;
  errors: number;
}

/** Where each target's list of paths goes on: a run never asks again for what an earlier one (a warm-up) asked. */
const cursors = new Map<string, number>();

/** Loads one target for `seconds`, each connection taking the next path of the list. */
async function run(target: Target, seconds: number): Promise<Result> {
  let next = cursors.get(target.name) ?? 0;
  const result = await autocannon({
    url: target.base() + (target.paths[0] ?? '/'),
    connections,
    duration: seconds,
    requests: [
      {
        setupRequest: (request) => {
          const path = target.paths[next++ % target.paths.length] ?? '/';
          return { ...request, path };
        },
      },
    ],
  });
  cursors.set(target.name, next);
  if (result.non2xx > 0)
    throw new Error(
      `${target.label}: ${result.non2xx} non-2xx responses (${JSON.stringify(result.statusCodeStats)})`,
    );
  return result;
}

async function measure(target: Target): Promise<Sample> {
  if (warmup > 0) await run(target, warmup);
  const pid = target.pid();
  const cpuBefore = cpuSeconds(pid);
  const busyBefore = machineBusySeconds();
  const selfBefore = process.cpuUsage();
  const started = performance.now();
  const result = await run(target, duration);
  const elapsed = (performance.now() - started) / 1000;
  const self = process.cpuUsage(selfBefore);
  const busyAfter = machineBusySeconds();
  const cpuAfter = cpuSeconds(pid);
  const answered = result.requests.total;
  const serverCpu = cpuBefore !== null && cpuAfter !== null ? cpuAfter - cpuBefore : null;
  return {
    requestsPerSecond: answered / elapsed,
    p50: result.latency.p50,
    p99: result.latency.p99,
    cpuPerRequestUs: serverCpu !== null && answered > 0 ? (serverCpu / answered) * 1e6 : null,
    otherCores:
      serverCpu !== null && busyBefore !== null && busyAfter !== null
        ? Math.max(0, (busyAfter - busyBefore - serverCpu - (self.user + self.system) / 1e6) / elapsed)
        : null,
    errors: result.errors,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

interface Row {
  target: Target;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  cpuPerRequestUs: number | null;
  errors: number;
}

function summarize(target: Target, samples: Sample[]): Row {
  const cpuValues = samples.flatMap((s) => (s.cpuPerRequestUs === null ? [] : [s.cpuPerRequestUs]));
  return {
    target,
    requestsPerSecond: median(samples.map((s) => s.requestsPerSecond)),
    p50: median(samples.map((s) => s.p50)),
    p99: median(samples.map((s) => s.p99)),
    cpuPerRequestUs: cpuValues.length ? median(cpuValues) : null,
    errors: samples.reduce((sum, s) => sum + s.errors, 0),
  };
}

/** autocannon records latencies in whole milliseconds. */
const ms = (value: number) => (value < 1 ? '< 1' : number.format(Math.round(value)));

function verdict(row: Row, ratio: number): string {
  const floor =
    row.target.kind === 'uncached' ? TARGETS.uncached : row.target.kind === 'search' ? TARGETS.search : null;
  if (floor === null) return '';
  return ratio >= floor && row.p99 <= TARGETS.p99Ms
    ? 'pass'
    : `**fail** (≥ ${floor}, p99 ≤ ${TARGETS.p99Ms})`;
}

function table(rows: Row[], ceiling: number): string {
  return [
    '| page | URLs | req/s | p50/p99 ms | server CPU / request | ratio to ceiling | target |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map((row) => {
      const ratio = ceiling > 0 ? row.requestsPerSecond / ceiling : 0;
      const cpu =
        row.cpuPerRequestUs === null ? 'n/a' : `${number.format(Math.round(row.cpuPerRequestUs))} µs`;
      return `| ${row.target.label} | ${number.format(row.target.paths.length)} | ${number.format(Math.round(row.requestsPerSecond))} | ${ms(row.p50)}/${ms(row.p99)} | ${cpu} | ${ratio.toFixed(3)} | ${verdict(row, ratio)}${row.errors ? ` **${row.errors} errors**` : ''} |`;
    }),
  ].join('\n');
}

/** The ceiling's server: the bytes of `/` from a minimal node:http server in its own process. */
async function startStaticServer(file: string): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'bench/lib/static-server.ts'), file, 'text/html; charset=utf-8'],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout as NonNullable<typeof child.stdout> });
  const [line] = (await once(lines, 'line')) as [string];
  const port = /^listening (\d+)$/.exec(line)?.[1];
  if (!port) throw new Error(`static server: unexpected output ${line}`);
  return { child, base: `http://127.0.0.1:${port}` };
}

/** Waits until the process is idle (under 10 % of a core over a second); returns the seconds waited. */
async function waitUntilIdle(pid: number | undefined, maxSeconds = 180): Promise<number> {
  const started = performance.now();
  let before = cpuSeconds(pid);
  if (before === null) return 0;
  for (;;) {
    await new Promise((done) => setTimeout(done, 1_000));
    const now = cpuSeconds(pid);
    if (now === null || now - before < 0.1) break;
    before = now;
    if ((performance.now() - started) / 1000 > maxSeconds) {
      log('WARNING: the server is still busy after start; measuring anyway');
      break;
    }
  }
  return (performance.now() - started) / 1000;
}

async function main(): Promise<void> {
  log(`machine: ${machine}; load average ${load()}`);
  const papers = await ensureDatabase();
  const { days, paperIds } = siteUrls();
  const queries = await loadWebQueries();
  // No image downloads: this machine may be offline, and failing ones would be counted as page work.
  const server: RunningServer = await startBenchServer(database, log, [], { FETCH_IMAGES: 'off' });
  const scratch = mkdtempSync(join(tmpdir(), 'bench-web-'));
  let staticServer: { child: ChildProcess; base: string } | null = null;
  const stopAll = async () => {
    staticServer?.child.kill('SIGTERM');
    await stopBenchServer(server);
    rmSync(scratch, { recursive: true, force: true });
  };
  const stopOnSignal = () => void stopAll().finally(() => process.exit(130));
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  try {
    const settle = await waitUntilIdle(server.child.pid);
    const idleRss = rssMb(server.child.pid);
    log(`server idle after ${settle.toFixed(0)} s; RSS ${idleRss?.current} MB`);
    const home = await fetch(`${server.base}/`);
    if (home.status !== 200) throw new Error(`GET / answered ${home.status}`);
    const homeFile = join(scratch, 'index.html');
    writeFileSync(homeFile, Buffer.from(await home.arrayBuffer()));
    staticServer = await startStaticServer(homeFile);
    const homeBytes = readFileSync(homeFile).length;

    const site = { pid: () => server.child.pid, base: () => server.base };
    let unique = 0;
    const q = (text: string) => encodeURIComponent(text).replaceAll('%20', '+');
    const targets: Target[] = [
      {
        name: 'ceiling',
        label: `ceiling: the ${Math.round(homeBytes / 1024)} KB of \`/\` from a minimal node:http server`,
        kind: 'ceiling' as const,
        paths: ['/'],
        pid: () => staticServer?.child.pid,
        base: () => staticServer?.base ?? '',
      },
      { name: 'home', label: '`/` (page cache)', kind: 'cached' as const, paths: ['/'], ...site },
      {
        name: 'day',
        label: '`/papers/date/{day}`, page cache defeated',
        kind: 'uncached' as const,
        // A query string no one asked before: every request renders.
        paths: Array.from(
          { length: 100_000 },
          (_, i) => `/papers/date/${days[i % days.length]}?u=${unique++}`,
        ),
        ...site,
      },
      {
        name: 'paper',
        label: '`/papers/{id}`',
        kind: 'uncached' as const,
        paths: paperIds.map((id) => `/papers/${id}`),
        ...site,
      },
      {
        name: 'api',
        label: '`/api/daily_papers?date={day}`',
        kind: 'uncached' as const,
        paths: days.map((day) => `/api/daily_papers?date=${day}`),
        ...site,
      },
      {
        name: 'feeds',
        label: '`/feeds/{daily,week,month,trending}.{xml,atom}`',
        kind: 'uncached' as const,
        paths: ['daily', 'week', 'month', 'trending'].flatMap((feed) => [
          `/feeds/${feed}.xml`,
          `/feeds/${feed}.atom`,
        ]),
        ...site,
      },
      {
        name: 'search',
        label: '`/search?q=`',
        kind: 'search' as const,
        paths: queries.map((query) => `/search?q=${q(query.text)}`),
        ...site,
      },
      {
        name: 'search-api',
        label: '`/api/papers/search?q=`',
        kind: 'search' as const,
        paths: queries.map((query) => `/api/papers/search?q=${q(query.text)}`),
        ...site,
      },
    ].filter((target) => target.name === 'ceiling' || !args.only || args.only.includes(target.name));
    log(
      `${papers.toLocaleString('en-US')} papers, ${days.length} days, ${queries.length} queries (${queries.filter((x) => x.words === 2).length} of 2 words); ` +
        `autocannon ${connections} connections, ${rounds} interleaved rounds of ${warmup} s warm-up + ${duration} s per page`,
    );
    const samples = new Map<string, Sample[]>(targets.map((target) => [target.name, []]));
    const others: number[] = [];
    for (let round = 1; round <= rounds; round++) {
      for (const target of targets) {
        const sample = await measure(target);
        samples.get(target.name)?.push(sample);
        if (sample.otherCores !== null) others.push(sample.otherCores);
        log(
          `round ${round} ${target.name}: ${Math.round(sample.requestsPerSecond)} req/s, p50 ${sample.p50} ms, p99 ${sample.p99} ms, ` +
            `CPU ${sample.cpuPerRequestUs === null ? 'n/a' : Math.round(sample.cpuPerRequestUs)} µs/request`,
        );
      }
    }
    await new Promise((done) => setTimeout(done, 2_000));
    const afterRss = rssMb(server.child.pid);
    const rows = targets.map((target) => summarize(target, samples.get(target.name) ?? []));
    const ceiling = rows[0]?.requestsPerSecond ?? 0;
    const noisiest = others.length ? Math.max(...others) : null;
    const memory = `server RSS ${idleRss?.current ?? 'n/a'} MB at idle, ${afterRss?.current ?? 'n/a'} MB after the load (peak ${afterRss?.peak ?? 'n/a'} MB)`;
    const noise = `other processes used up to ${noisiest === null ? 'n/a' : `${Math.round(noisiest * 100)} %`} of a core during a run; load average ${load()} at the end`;
    console.log(`\n${table(rows, ceiling)}\n`);
    log(memory);
    log(noise);
    const failures = rows.filter((row) => row.errors > 0);
    if (failures.length) process.exitCode = 1;

    if (!standardRun) {
      log('not a standard run: docs/benchmarks.md left as it is');
      return;
    }
    writeDocsSection(
      '## Web',
      [
        '## Web (`npm run bench:web`)',
        '',
        `The 80k site (both shared files imported through the CLI, ${number.format(papers)} papers, \`dailypapers index`,
        '--embed` done; built once under `node_modules/.cache/dailypapers-bench/`) served by `dailypapers serve` in a',
        'child process (`LOAD_SAMPLE=never`, `DIGEST_SCHEDULER=off`, `FETCH_IMAGES=off`), loaded by autocannon from the bench process over',
        `loopback, ${connections} connections, as an anonymous visitor. The ceiling is measured in the same run: the same bytes`,
        'of `/` from a minimal node:http server (`bench/lib/static-server.ts`). Rows that differ per request cycle through',
        `their URLs: day pages with a query string never asked before (so the page cache never answers), ${number.format(PAPER_PAGES)}`,
        `paper pages, the API list of each of the ${days.length} days, the 8 site feeds, and ${queries.length} real queries (the most`,
        `frequent AI keywords of the HF file, ${queries.filter((x) => x.words === 2).length} of them of 2 words) on the search page and API: a query that`,
        'comes again is answered from the kept pages of results (`services/search-results-cache.ts`) unless the data',
        'changed; `npm run bench:page-cpu -- COPY --only search` measures searching itself, with nothing kept.',
        `Median of ${rounds} interleaved rounds of ${warmup} s warm-up + ${duration} s. "server CPU / request" is the server process's`,
        'user + system time over the requests it answered (`/proc`), steadier than req/s when other work shares the',
        `machine. Targets: uncached pages ≥ ${TARGETS.uncached}× the ceiling, search ≥ ${TARGETS.search}×, p99 ≤ ${TARGETS.p99Ms} ms.`,
        '',
        table(rows, ceiling),
        '',
        `Measured ${new Date().toISOString().slice(0, 10)} on ${machine}; ${noise}. Memory: ${memory}.`,
        '',
      ].join('\n'),
    );
    log(`wrote the "## Web" section of ${BENCHMARKS_DOC}`);
  } finally {
    process.off('SIGINT', stopOnSignal);
    process.off('SIGTERM', stopOnSignal);
    await stopAll();
    log('servers stopped');
  }
}

await main();
