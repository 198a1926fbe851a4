// npm run bench:memory — the memory budget on the 80k site: peak RSS of each step that builds it from nothing
// (importing the two shared files, then `dailypapers index --embed`), each by GNU time, then the RSS of
// `dailypapers serve` at idle (5 s after it answers, and a minute later, once its background jobs ran) and after
// a load of the site's pages (day pages, paper pages, the API, search): 5 s and 30 s after it.
// Targets: imports ≤ 300 MB, `index --embed` ≤ 1 GB, the server ≤ 300 MB at idle and after the load.
//
//   npm run bench:memory                   builds a fresh database in a temporary folder (tens of minutes)
//   npm run bench:memory -- --site-only    only the server, on bench:web's cached database
// Each step runs as a site runs it (bin/dailypapers.js): from the JavaScript build when it is current, so
// `npm run build` first; through tsx otherwise, which costs some 60 MB more in each process.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { startBenchServer, stopBenchServer } from './lib/bench-server.ts';
import { FULL_DATABASE, INPUTS, runCliMeasured } from './lib/full-data.ts';
import { rssMb } from './lib/proc-stats.ts';
import { loadWebQueries } from './lib/web-queries.ts';

const { values: args } = parseArgs({ options: { 'site-only': { type: 'boolean', default: false } } });
const log = (line: string) => console.log(`[bench:memory] ${line}`);
const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(', ');
const TARGETS = { importMb: 300, indexMb: 1024, serverMb: 300 };
const rows: string[] = [];
const row = (step: string, mb: number | string, target: number) => {
  const line = `| ${step} | ${mb} MB | ≤ ${target} MB ${typeof mb === 'number' && mb <= target ? 'pass' : '**fail**'} |`;
  rows.push(line);
  log(line);
};

log(
  `machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; load average ${load()}`,
);
const dir = args['site-only'] ? null : mkdtempSync(join(tmpdir(), 'dailypapers-memory-'));
const database = dir ? join(dir, 'site.db') : FULL_DATABASE;
try {
  if (dir) {
    for (const input of INPUTS) {
      const run = await runCliMeasured(['import', input.source, input.file, ...input.flags], {
        DATABASE_URL: database,
      });
      row(`\`import ${input.source}\` (${run.seconds.toFixed(0)} s)`, run.peakRssMb, TARGETS.importMb);
    }
    const run = await runCliMeasured(['index', '--embed'], { DATABASE_URL: database });
    row(`\`index --embed\` (${run.seconds.toFixed(0)} s)`, run.peakRssMb, TARGETS.indexMb);
  }
  const db = new Database(database, { readonly: true, fileMustExist: true });
  const days = db.prepare('SELECT DISTINCT day FROM daily_entries ORDER BY day').pluck().all() as string[];
  const ids = db.prepare('SELECT id FROM papers ORDER BY id').pluck().all() as string[];
  db.close();
  const queries = await loadWebQueries();
  const paths = [
    ...days.flatMap((day) => [`/papers/date/${day}`, `/api/daily_papers?date=${day}`]),
    ...ids.filter((_, index) => index % 20 === 0).map((id) => `/papers/${id}`),
    ...queries.map((query) => `/search?q=${encodeURIComponent(query.text)}`),
  ];
  const server = await startBenchServer(database, log, [], { FETCH_IMAGES: 'off' });
  try {
    await new Promise((done) => setTimeout(done, 5_000));
    row('`serve` at idle', rssMb(server.child.pid)?.current ?? 'n/a', TARGETS.serverMb);
    // The background jobs first run a minute after the start (embedding new papers needs the model).
    await new Promise((done) => setTimeout(done, 60_000));
    row('`serve` at idle, a minute later', rssMb(server.child.pid)?.current ?? 'n/a', TARGETS.serverMb);
    if (server.child.exitCode !== null || server.child.signalCode !== null)
      throw new Error(
        `the server exited (${server.child.signalCode ?? server.child.exitCode}):\n${server.output()}`,
      );
    let next = 0;
    const result = await autocannon({
      url: server.base,
      connections: 10,
      amount: paths.length,
      timeout: 60,
      requests: [{ setupRequest: (request) => ({ ...request, path: paths[next++ % paths.length] ?? '/' }) }],
    });
    log(
      `${result.requests.total} requests (${paths.length} URLs), ${result.non2xx} non-2xx, ${result.errors} errors`,
    );
    await new Promise((done) => setTimeout(done, 5_000));
    const after = rssMb(server.child.pid);
    row('`serve` after the load', after?.current ?? 'n/a', TARGETS.serverMb);
    // Idle again: what the server keeps once it has given back what the burst grew (src/collect-garbage.ts).
    await new Promise((done) => setTimeout(done, 25_000));
    const later = rssMb(server.child.pid);
    row('`serve` after the load, 30 s later', later?.current ?? 'n/a', TARGETS.serverMb);
    row('`serve` peak (VmHWM)', later?.peak ?? 'n/a', TARGETS.serverMb);
  } finally {
    await stopBenchServer(server);
  }
  console.log(['\n| step | peak RSS | target |', '| --- | --- | --- |', ...rows].join('\n'));
  log(`load average at the end: ${load()}`);
} finally {
  if (dir) rmSync(dir, { recursive: true, force: true });
}
