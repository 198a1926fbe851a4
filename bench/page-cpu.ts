// CPU per request of pages the page cache does not answer, measured in the server's own process: builds the app on
// a copy of the bench:web database (node_modules/.cache/dailypapers-bench/bench-web.db, made by `npm run
// bench:web`), listens on loopback and has a load generator in another process request day pages (page cache
// defeated), paper pages, and the API list and RSS feed of a day (response cache defeated alike). The server's CPU
// time (process.cpuUsage) stays meaningful on a busy machine, where req/s does not.
//
//   node --import tsx bench/page-cpu.ts DATABASE_COPY [--requests N]
//     [--only day|paper|paper-again|api|feed|search|search-api|home|robots] [--encoding 'gzip, br']
//     [--profile PREFIX] [--search-cache]
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { loadConfig } from '../src/config.ts';
import { LiveSemanticIndex } from '../src/search-index/live-semantic-index.ts';
import { openStore } from '../src/store/open-store.ts';
import { sizeMathCache } from '../src/text/math.ts';
import { buildServer } from '../src/web/server.ts';
import { ROOT } from './lib/full-data.ts';
import { loadWebQueries } from './lib/web-queries.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    requests: { type: 'string', default: '2000' },
    connections: { type: 'string', default: '4' },
    /** Accept-Encoding of the requests (none by default, as bench:web's autocannon). */
    encoding: { type: 'string', default: '' },
    only: { type: 'string', multiple: true },
    profile: { type: 'string' },
    /** Keep pages of search results as a site does (the same queries come again): off to measure searching. */
    'search-cache': { type: 'boolean', default: false },
  },
});
const database = positionals[0];
if (!database) throw new Error('usage: page-cpu.ts DATABASE_COPY (a copy: the server may write to it)');
const requests = Number(values.requests);

const queries = (await loadWebQueries()).map((query) => encodeURIComponent(query.text));

function siteUrls(): Record<string, string[]> {
  const db = new Database(database as string, { readonly: true, fileMustExist: true });
  try {
    const days = db.prepare('SELECT DISTINCT day FROM daily_entries ORDER BY day').pluck().all() as string[];
    const ids = db.prepare('SELECT id FROM papers WHERE hidden = 0 ORDER BY id').pluck().all() as string[];
    const step = ids.length / 3000;
    let unique = 0;
    return {
      day: Array.from(
        { length: requests * 2 },
        (_, i) => `/papers/date/${days[i % days.length]}?u=${unique++}`,
      ),
      paper: Array.from({ length: 3000 }, (_, i) => `/papers/${ids[Math.floor(i * step)]}`),
      // Papers visited before: their similar lists are kept, as in bench:web's later rounds.
      'paper-again': Array.from({ length: 3000 }, (_, i) => `/papers/${ids[Math.floor(i * step)]}`),
      // The response cache keeps these by URL: each one asked once, as the day pages.
      api: Array.from(
        { length: requests * 2 },
        (_, i) => `/api/daily_papers?date=${days[i % days.length]}&u=${unique++}`,
      ),
      feed: Array.from(
        { length: requests * 2 },
        (_, i) => `/feeds/date/${days[i % days.length]}.xml?u=${unique++}`,
      ),
      search: queries.map((query) => `/search?q=${query}`),
      'search-api': queries.map((query) => `/api/papers/search?q=${query}`),
      home: ['/'],
      robots: ['/robots.txt'],
    };
  } finally {
    db.close();
  }
}

const urls = siteUrls();
const config = loadConfig({
  ...process.env,
  DATABASE_URL: database,
  FETCH_IMAGES: 'off',
  LOAD_SAMPLE: 'never',
});
// Pages of search results are kept between requests: measured uncached (a query seen the first time) unless asked.
if (!values['search-cache']) config.caches.searchResultBytes = 0;
const store = await openStore(config.database);
sizeMathCache(config.caches.mathBytes);
const semantic = await LiveSemanticIndex.open(store, { similarLists: config.caches.similarLists });
const app = await buildServer({ store, config, semantic });
const base = await app.listen({ host: '127.0.0.1', port: 0 });
const scratch = mkdtempSync(join(tmpdir(), 'page-cpu-'));

// The load generator, started once before any measure (see bench/lib/fire-requests.ts: starting it forks this
// process, and the copy-on-write faults that follow would be counted as the pages' CPU).
const generator = spawn(
  process.execPath,
  [
    '--import',
    'tsx',
    join(ROOT, 'bench/lib/fire-requests.ts'),
    base,
    values.connections ?? '4',
    values.encoding ?? '',
  ],
  { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] },
);
const answers = createInterface({ input: generator.stdout as NodeJS.ReadableStream })[Symbol.asyncIterator]();
let fired = 0;

async function fire(paths: string[], amount: number): Promise<void> {
  const file = join(scratch, `paths-${fired++}`);
  writeFileSync(file, paths.join('\n'));
  generator.stdin?.write(`${file} ${amount}\n`);
  const answer = await answers.next();
  if (answer.done) throw new Error('the load generator stopped');
  const result = JSON.parse(answer.value) as { non2xx: number; errors: number };
  if (result.non2xx || result.errors) throw new Error(`${result.non2xx} non-2xx, ${result.errors} errors`);
}

try {
  for (const [name, paths] of Object.entries(urls)) {
    if (values.only && !values.only.includes(name)) continue;
    // Warm-up on other URLs than the measured ones where the list has them; `paper-again` visits its own first.
    if (name === 'paper-again') await fire(paths.slice(0, requests), requests);
    else if (paths.length > requests) await fire(paths.slice(requests), 200);
    const session = values.profile ? new Session() : null;
    if (session) {
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
    }
    const before = process.cpuUsage();
    const faultsBefore = process.resourceUsage().minorPageFault;
    await fire(paths, requests);
    const used = process.cpuUsage(before);
    const faults = process.resourceUsage().minorPageFault - faultsBefore;
    if (session) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(`${values.profile}-${name}.cpuprofile`, JSON.stringify(profile));
      session.disconnect();
    }
    const perRequest = (micros: number) => Math.round(micros / requests);
    console.log(
      `${name}: ${perRequest(used.user + used.system)} µs server CPU/request over ${requests} requests` +
        ` (user ${perRequest(used.user)}, system ${perRequest(used.system)};` +
        ` ${(faults / requests).toFixed(1)} page faults/request)`,
    );
  }
} finally {
  generator.stdin?.end();
  await once(generator, 'exit');
  rmSync(scratch, { recursive: true, force: true });
  await app.close();
  await store.close();
}
