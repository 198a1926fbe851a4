// npm run bench:web — serves the full shared data set (arXiv listings + Hugging Face daily papers) with the
// real server in a child process and loads its main pages with autocannon over loopback: requests/s, p50 and
// p99 latency per page. Writes the table into docs/benchmarks.md ("## Web").
//
//   npm run bench:web                            the standard run (10 connections, 2 s warm-up, 10 s each)
//   npm run bench:web -- --connections 50 --only home --only api   explore (home, paper, api, trending,
//                                                                   search); docs are only written for the standard run
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import autocannon, { type Result } from 'autocannon';
import { type RunningServer, startBenchServer, stopBenchServer } from './lib/bench-server.ts';
import { BENCHMARKS_DOC, writeDocsSection } from './lib/docs-section.ts';
import { ensureFullDatabase, FULL_DATABASE, runCli } from './lib/full-data.ts';

const database = FULL_DATABASE;

const TARGET = { path: '/', requestsPerSecond: 3_000, p99Ms: 20 };
const WARMUP_SECONDS = 2;

const { values: args } = parseArgs({
  options: {
    connections: { type: 'string', default: '10' },
    duration: { type: 'string', default: '10' },
    only: { type: 'string', multiple: true },
    rebuild: { type: 'boolean', default: false },
  },
});
const connections = Number(args.connections);
const duration = Number(args.duration);
if (!Number.isInteger(connections) || connections < 1) throw new Error('--connections: a positive integer');
if (!Number.isInteger(duration) || duration < 1) throw new Error('--duration: seconds, a positive integer');
const standardRun = connections === 10 && duration === 10 && !args.only;

const log = (line: string) => console.log(`[bench:web] ${line}`);
const number = new Intl.NumberFormat('en-US');
const cpu = cpus();
const machine = `${cpu.length} × ${cpu[0]?.model.trim() ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;

/**
 * The full data set as a running site has it: imported through the CLI, then `dailypapers index --embed`
 * (semantic search and similar papers; a no-op when every paper already has a vector).
 */
async function ensureDatabase(): Promise<number> {
  const papers = await ensureFullDatabase(log, { rebuild: args.rebuild });
  const started = performance.now();
  await runCli(['index', '--embed'], { DATABASE_URL: database });
  log(`dailypapers index --embed: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return papers;
}

const startServer = () => startBenchServer(database, log);
const stopServer = stopBenchServer;

/** Peak resident memory of the server process, from /proc (Linux); null elsewhere. */
function peakRssMb(pid: number | undefined): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]);
    return Number.isFinite(kb) ? Math.round(kb / 1024) : null;
  } catch {
    return null;
  }
}

interface Measurement {
  label: string;
  path: string;
  bytes: number;
  result: Result;
  /** Server CPU time (user + system) per answered request, in µs; null when /proc is not there. */
  cpuPerRequestUs: number | null;
  /**
   * CPU other processes used during the run (not the server, not this process), in cores (1 = one core
   * busy all along); a busy machine makes the figures low, so the run reports it. Null when unknown.
   */
  otherCores: number | null;
}

const ticksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU seconds (user + system) the process has used so far, from /proc (Linux); null elsewhere. */
function cpuSeconds(pid: number | undefined): number | null {
  try {
    // Fields after the command name (which is in parentheses and may hold spaces): utime is 14th, stime 15th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks / ticksPerSecond : null;
  } catch {
    return null;
  }
}

/** CPU seconds the whole machine has spent busy (all cores), from /proc/stat; null elsewhere. */
function machineBusySeconds(): number | null {
  try {
    const [, user, nice, system, , , irq, softirq, steal] = (
      readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? ''
    )
      .split(/\s+/)
      .map(Number);
    const ticks = [user, nice, system, irq, softirq, steal].reduce<number>((sum, n) => sum + (n ?? 0), 0);
    return Number.isFinite(ticks) ? ticks / ticksPerSecond : null;
  } catch {
    return null;
  }
}

/**
 * Waits until the server process is idle (under 10% of a core over a second): work it starts in the
 * background at start-up would otherwise be measured as page cost. Returns the seconds waited.
 */
async function waitUntilIdle(server: RunningServer, maxSeconds = 180): Promise<number> {
  const started = performance.now();
  let before = cpuSeconds(server.child.pid);
  if (before === null) return 0;
  for (;;) {
    await new Promise((done) => setTimeout(done, 1_000));
    const now = cpuSeconds(server.child.pid);
    if (now === null || now - before < 0.1) break;
    before = now;
    const waited = (performance.now() - started) / 1000;
    if (waited > maxSeconds) {
      log(`WARNING: the server is still busy ${Math.round(waited)} s after start; measuring anyway`);
      break;
    }
  }
  return (performance.now() - started) / 1000;
}

/** Load-tests one page; a non-2xx answer means the benchmark itself is broken and stops it at once. */
async function measure(server: RunningServer, label: string, path: string): Promise<Measurement> {
  const url = server.base + path;
  const probe = await fetch(url);
  const body = await probe.arrayBuffer();
  if (probe.status !== 200) throw new Error(`GET ${path} answered ${probe.status}, not 200`);
  await autocannon({ url, connections, duration: WARMUP_SECONDS });
  const cpuBefore = cpuSeconds(server.child.pid);
  const busyBefore = machineBusySeconds();
  const selfBefore = process.cpuUsage();
  const started = performance.now();
  const result = await autocannon({ url, connections, duration });
  const elapsed = (performance.now() - started) / 1000;
  const self = process.cpuUsage(selfBefore);
  const busyAfter = machineBusySeconds();
  const cpuAfter = cpuSeconds(server.child.pid);
  if (result.non2xx > 0) {
    throw new Error(
      `GET ${path}: ${result.non2xx} non-2xx responses (status codes ${JSON.stringify(result.statusCodeStats)})`,
    );
  }
  const answered = result.requests.total;
  const cpuPerRequestUs =
    cpuBefore !== null && cpuAfter !== null && answered > 0
      ? ((cpuAfter - cpuBefore) / answered) * 1e6
      : null;
  const otherCores =
    cpuBefore !== null && cpuAfter !== null && busyBefore !== null && busyAfter !== null
      ? Math.max(
          0,
          (busyAfter - busyBefore - (cpuAfter - cpuBefore) - (self.user + self.system) / 1e6) / elapsed,
        )
      : null;
  const measurement = {
    label,
    path,
    bytes: body.byteLength,
    result,
    cpuPerRequestUs,
    otherCores,
  };
  log(row(measurement));
  return measurement;
}

/** autocannon records latencies in whole milliseconds. */
const ms = (value: number) => (value < 1 ? '< 1 ms' : `${number.format(Math.round(value))} ms`);

function row({ label, bytes, result, cpuPerRequestUs }: Measurement): string {
  const size = `${bytes < 10_240 ? (bytes / 1024).toFixed(1) : Math.round(bytes / 1024)} KB`;
  const cpu = cpuPerRequestUs === null ? 'n/a' : `${number.format(Math.round(cpuPerRequestUs))} µs`;
  return `| ${label} | ${number.format(Math.round(result.requests.average))} | ${ms(result.latency.p50)} | ${ms(result.latency.p99)} | ${result.non2xx} | ${result.errors ? `**${result.errors}**` : 0} | ${cpu} | ${size} |`;
}

function table(measurements: Measurement[]): string {
  return [
    '| page | req/s (mean) | p50 | p99 | non-2xx | errors | server CPU / request | response |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...measurements.map(row),
  ].join('\n');
}

async function main(): Promise<void> {
  log(`machine: ${machine}`);
  const papers = await ensureDatabase();
  const server = await startServer();
  const stopOnSignal = () => {
    void stopServer(server).finally(() => process.exit(130));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  try {
    const settle = await waitUntilIdle(server);
    if (settle > 1.5)
      log(`the server was busy for ${settle.toFixed(0)} s after start (background work); now idle`);
    const latest = (await (await fetch(`${server.base}/api/daily_papers?limit=1`)).json()) as {
      paper: { id: string };
    }[];
    const paperId = latest[0]?.paper.id;
    if (!paperId) throw new Error('/api/daily_papers?limit=1 returned no paper');
    const pages = [
      { name: 'home', label: '`/` (latest day)', path: '/' },
      { name: 'paper', label: `\`/papers/${paperId}\``, path: `/papers/${paperId}` },
      { name: 'api', label: '`/api/daily_papers`', path: '/api/daily_papers' },
      { name: 'trending', label: '`/papers/trending`', path: '/papers/trending' },
      {
        name: 'search',
        label: '`/search?q=reinforcement+learning`',
        path: '/search?q=reinforcement+learning',
      },
    ].filter((page) => !args.only || args.only.includes(page.name) || args.only.includes(page.path));
    log(
      `autocannon: ${connections} connections, ${WARMUP_SECONDS} s warm-up then ${duration} s per page, loopback`,
    );
    const measurements: Measurement[] = [];
    for (const page of pages) measurements.push(await measure(server, page.label, page.path));
    const rss = peakRssMb(server.child.pid);

    const home = measurements.find((m) => m.path === TARGET.path);
    const verdict = home
      ? `${home.result.requests.average >= TARGET.requestsPerSecond && home.result.latency.p99 <= TARGET.p99Ms ? '**pass**' : '**fail**'}: ` +
        `${number.format(Math.round(home.result.requests.average))} req/s, p99 ${ms(home.result.latency.p99)}`
      : null;
    const others = measurements.flatMap((m) => (m.otherCores === null ? [] : [m.otherCores]));
    const noisiest = others.length ? Math.max(...others) : null;
    const noise =
      noisiest === null
        ? 'unknown'
        : `at most ${Math.round(noisiest * 100)}% of one core (1-minute load average ${loadavg()[0]?.toFixed(2)} at the end)`;
    const failures = measurements.filter((m) => m.result.errors > 0);

    console.log(`\n${table(measurements)}\n`);
    if (verdict)
      log(
        `target for / (≥ ${number.format(TARGET.requestsPerSecond)} req/s, p99 ≤ ${TARGET.p99Ms} ms): ${verdict}`,
      );
    if (rss !== null) log(`server peak RSS: ${rss} MB`);
    log(`other processes on the machine during the runs: ${noise}`);
    if (noisiest !== null && noisiest > 0.1)
      log('WARNING: the machine was busy with other work; these figures are low. Rerun when it is quiet.');

    if (!standardRun) {
      log('not a standard run (--connections/--duration/--only): docs/benchmarks.md left as it is');
    } else {
      const date = new Date().toISOString().slice(0, 10);
      writeDocsSection(
        '## Web',
        [
          '## Web (`npm run bench:web`)',
          '',
          'Serves the full shared data (`arxiv-listings-2025-2026.jsonl.gz` and `hf-daily-papers-2024-2026.jsonl.gz`,',
          `${number.format(papers)} papers, imported through the CLI into \`data/bench-web.db\` and embedded with \`dailypapers index`,
          '--embed`; later runs reuse the file) with the real server (`dailypapers serve` as a child process,',
          '`LOAD_SAMPLE=never`, `DIGEST_SCHEDULER=off`) and loads each page with autocannon from the bench process',
          'over loopback:',
          `${connections} connections, no pipelining, ${WARMUP_SECONDS} s warm-up then ${duration} s per page, as an anonymous visitor (no`,
          'cookies, so every answer also sets the CSRF cookie). The load generator shares the 2 cores with the server.',
          '"server CPU / request" is the server process\'s user + system time during the run divided by the requests it',
          'answered (from `/proc`): it depends much less than req/s on the load generator and on other work on the',
          `machine. Target for \`/\`: ≥ ${number.format(TARGET.requestsPerSecond)} req/s and p99 ≤ ${TARGET.p99Ms} ms.`,
          '',
          table(measurements),
          '',
          `Measured ${date} on ${machine}${rss === null ? '' : `; server peak RSS ${rss} MB`}. CPU used by other`,
          `processes during the runs: ${noise}.`,
          ...(settle > 1.5
            ? [
                `The server was busy for ${settle.toFixed(0)} s after it started answering (work at start-up); the runs began once it was idle.`,
              ]
            : []),
          `Target for \`/\`: ${verdict ?? 'not measured'}.`,
          ...(failures.length
            ? [
                `Errors (connection errors, and requests with no answer within autocannon's 10 s timeout): ${failures.map((m) => `${m.label} ${m.result.errors}, ${m.result.timeouts} of them timeouts`).join('; ')}.`,
              ]
            : []),
          '',
        ].join('\n'),
      );
      log(`wrote the "## Web" section of ${BENCHMARKS_DOC}`);
    }
    if (failures.length) {
      process.exitCode = 1;
      for (const m of failures)
        console.error(
          `[bench:web] FAILED: GET ${m.path}: ${m.result.errors} errors, ${m.result.timeouts} of them timeouts`,
        );
    }
  } finally {
    process.off('SIGINT', stopOnSignal);
    process.off('SIGTERM', stopOnSignal);
    await stopServer(server);
    log('server stopped');
  }
}

await main();
