// npm run bench:import-live — imports the shared arXiv file (74,728 papers) through the real CLI into a running
// site (SQLite) while autocannon reads `/` and 20 members upvote and log in; then the same import beside the same
// site with no traffic. Prints failed requests, p99 of `/` and of the writes during the import, and the import's
// papers/s against the idle one, and writes them into docs/benchmarks.md.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon, { type Instance } from 'autocannon';
import { SiteClient } from '../scripts/lib/http-client.ts';
import { hashToken } from '../src/services/accounts.ts';
import { hashPassword } from '../src/services/passwords.ts';
import { openStore } from '../src/store/open-store.ts';
import { startBenchServer, stopBenchServer } from './lib/bench-server.ts';
import { writeDocsSection } from './lib/docs-section.ts';
import { HF_FILE, runCli, SHARED_DATA } from './lib/full-data.ts';
import { percentile } from './lib/percentile.ts';

const ARXIV_FILE = join(SHARED_DATA, 'arxiv-listings-2025-2026.jsonl.gz');
const ARXIV_PAPERS = 74_728;
const MEMBERS = 20;
const PASSWORD = 'a long enough benchmark password';
/** Each member upvotes (or takes the upvote back) this often: under the vote limit of 120 a minute. */
const UPVOTE_EVERY_MS = 600;
/** And logs in again this often, at most LOGINS times: under the login limit of 10 per 15 minutes. */
const LOGIN_EVERY_MS = 8_000;
const LOGINS = 9;
const HOME_CONNECTIONS = 10;
const TARGET = { homeP99Ms: 100, writeP99Ms: 250, rateRatio: 0.7 };
/**
 * The traffic runs this long before the import starts, as on a site that was already running: a fresh server's
 * first requests (code not yet optimized, empty caches) are not the import's doing. Only writes that start during
 * the import are counted.
 */
const WARM_UP_MS = 3_000;

const log = (line: string) => console.log(`[bench:import-live] ${line}`);
const number = new Intl.NumberFormat('en-US');
const cpu = cpus();
const machine = `${cpu.length} × ${cpu[0]?.model.trim() ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;

interface Member {
  username: string;
  client: SiteClient;
}

/** A site as it runs before the import: the Hugging Face daily papers listed, 20 members with a session each. */
async function seedSite(path: string): Promise<Array<{ username: string; session: string }>> {
  await runCli(['import', 'hf-daily', HF_FILE, '--skip-bad'], { DATABASE_URL: path });
  const store = await openStore({ kind: 'sqlite', path });
  const sessions: Array<{ username: string; session: string }> = [];
  try {
    const passwordHash = await hashPassword(PASSWORD);
    const expires = new Date(Date.now() + 86_400_000).toISOString();
    for (let i = 0; i < MEMBERS; i++) {
      const username = `member${i}`;
      const member = await store.members.createMember({
        username,
        email: `${username}@example.org`,
        passwordHash,
        role: 'member',
        emailVerified: true,
      });
      const session = `bench-session-${i}-${'x'.repeat(20)}`;
      await store.members.createSession(hashToken(session), member.id, expires);
      sessions.push({ username, session });
    }
  } finally {
    await store.close();
  }
  return sessions;
}

async function timedImport(path: string): Promise<number> {
  const started = performance.now();
  await runCli(['import', 'arxiv-jsonl', ARXIV_FILE], { DATABASE_URL: path });
  return (performance.now() - started) / 1000;
}

interface Write {
  kind: 'upvote' | 'login';
  /** performance.now() when it was sent. */
  at: number;
  ms: number;
  status: number | 'error';
}

/** One member's traffic until `done`: upvotes of the listed papers, and a login now and then. */
async function memberTraffic(member: Member, paperIds: string[], writes: Write[], done: () => boolean) {
  let upvoted = false;
  let lastLogin = Date.now() - Math.random() * LOGIN_EVERY_MS;
  let logins = 0;
  for (let round = 0; !done(); round++) {
    const paperId = paperIds[round % paperIds.length] as string;
    upvoted = !upvoted;
    const login = logins < LOGINS && Date.now() - lastLogin >= LOGIN_EVERY_MS;
    if (login) {
      lastLogin = Date.now();
      logins++;
    }
    const started = performance.now();
    let status: number | 'error';
    try {
      const response = login
        ? await member.client.postForm('/login', { username: member.username, password: PASSWORD })
        : await member.client.postJson(`/papers/${paperId}/upvote`, { upvoted: String(upvoted) });
      await response.arrayBuffer();
      status = response.status;
    } catch {
      status = 'error';
    }
    writes.push({ kind: login ? 'login' : 'upvote', at: started, ms: performance.now() - started, status });
    await sleep(UPVOTE_EVERY_MS * (0.5 + Math.random()));
  }
}

const loadBefore = loadavg()[0] ?? 0;
const dir = mkdtempSync(join(tmpdir(), 'dailypapers-import-live-'));
try {
  log(
    `machine: ${machine}; load average ${loadavg()
      .map((load) => load.toFixed(1))
      .join(' ')}`,
  );
  const seed = join(dir, 'seed.db');
  const sessions = await seedSite(seed);
  const idleDb = join(dir, 'idle.db');
  const liveDb = join(dir, 'live.db');
  copyFileSync(seed, idleDb);
  copyFileSync(seed, liveDb);

  log('import beside the idle site…');
  let server = await startBenchServer(idleDb, log);
  const idleSeconds = await timedImport(idleDb);
  await stopBenchServer(server);
  log(`idle: ${idleSeconds.toFixed(1)} s, ${number.format(Math.round(ARXIV_PAPERS / idleSeconds))} papers/s`);

  log('import beside the site under load…');
  server = await startBenchServer(liveDb, log, [], { TRUST_PROXY: '127.0.0.1' });
  const daily = (await (await fetch(`${server.base}/api/daily_papers?limit=50`)).json()) as Array<{
    paper: { id: string };
  }>;
  const paperIds = daily.map((entry) => entry.paper.id);
  // Members at addresses of their own, behind the site's proxy (TRUST_PROXY), as on a real site: the rate limits
  // per address then count each member's traffic, not everyone's together.
  const members: Member[] = sessions.map(({ username, session }, index) => {
    const client = new SiteClient(server.base, { 'x-forwarded-for': `10.20.0.${index + 1}` });
    client.setCookie('dp_session', session);
    client.setCookie('dp_csrf', `csrf${String(username).padEnd(28, 'x')}`);
    return { username, client };
  });
  const home: Instance = autocannon({
    url: `${server.base}/`,
    connections: HOME_CONNECTIONS,
    duration: 3_600,
  });
  const allWrites: Write[] = [];
  let importing = true;
  const traffic = members.map((member) => memberTraffic(member, paperIds, allWrites, () => !importing));
  await sleep(WARM_UP_MS);
  const importStarted = performance.now();
  const liveSeconds = await timedImport(liveDb).finally(() => {
    importing = false;
  });
  const writes = allWrites.filter((write) => write.at >= importStarted);
  home.stop();
  const homeResult = await home;
  await Promise.all(traffic);
  const loadAfter = loadavg()[0] ?? 0;
  await stopBenchServer(server);

  const homeFailed = homeResult.errors + homeResult.timeouts + homeResult.non2xx;
  const writeFailed = writes.filter((write) => write.status === 'error' || write.status >= 500).length;
  const limited = writes.filter((write) => write.status === 429).length;
  const ok = writes.filter((write) => write.status !== 'error' && write.status < 400);
  const writeP99 = percentile(
    writes.map((write) => write.ms),
    99,
  );
  const p99Of = (kind: Write['kind']) =>
    percentile(
      writes.filter((write) => write.kind === kind).map((write) => write.ms),
      99,
    );
  const busy = writes.filter((write) => write.status === 503).length;
  // 503s are among the failed writes.
  const refused = writes.length - ok.length - limited - writeFailed;
  const idleRate = ARXIV_PAPERS / idleSeconds;
  const liveRate = ARXIV_PAPERS / liveSeconds;
  const rows = [
    `| failed requests (target 0) | ${homeFailed} of ${number.format(homeResult.requests.total)} \`/\`, ${writeFailed} of ${number.format(writes.length)} writes |`,
    `| \`/\` p99 during the import (target ≤ ${TARGET.homeP99Ms} ms) | ${homeResult.latency.p99} ms (p50 ${homeResult.latency.p50} ms, ${number.format(Math.round(homeResult.requests.average))} req/s) |`,
    `| writes p99 during the import (target ≤ ${TARGET.writeP99Ms} ms) | ${writeP99.toFixed(0)} ms (p50 ${percentile(
      writes.map((write) => write.ms),
      50,
    ).toFixed(
      0,
    )} ms; ${ok.length} upvotes and logins done, ${limited} answered 429 by the rate limit, ${busy} 503, ${refused} other 4xx; p99 of upvotes ${p99Of('upvote').toFixed(0)} ms, of logins ${p99Of('login').toFixed(0)} ms) |`,
    `| import rate beside the busy site vs the idle site (target ≥ ${TARGET.rateRatio}×) | ${number.format(Math.round(liveRate))} vs ${number.format(Math.round(idleRate))} papers/s (${(liveRate / idleRate).toFixed(2)}×; ${liveSeconds.toFixed(1)} s vs ${idleSeconds.toFixed(1)} s) |`,
  ];
  for (const row of rows) log(row);
  const date = new Date().toISOString().slice(0, 10);
  writeDocsSection(
    '## Import beside a running site (`npm run bench:import-live`)',
    `## Import beside a running site (\`npm run bench:import-live\`)

Imports \`arxiv-listings-2025-2026.jsonl.gz\` (${number.format(ARXIV_PAPERS)} papers) through the real CLI into a running
site (\`dailypapers serve\`, SQLite, seeded with the Hugging Face daily papers and ${MEMBERS} members) while autocannon
reads \`/\` over ${HOME_CONNECTIONS} connections and each member upvotes about every ${UPVOTE_EVERY_MS} ms and logs in
again every ${LOGIN_EVERY_MS / 1000} s, up to ${LOGINS} times (JSON upvotes and form logins, with CSRF tokens); then compares with the same
import beside the same site with no traffic. The traffic starts ${WARM_UP_MS / 1000} s before the import (a site that was already
running), and only writes sent during the import count. Times are the CLI's wall time (Node start-up, checking
the file, writing it in batches, compacting the keyword index). The site has no embedding model here.

| measure | result |
| --- | --- |
${rows.join('\n')}

Members come from addresses of their own, through the site's proxy (\`TRUST_PROXY\`), as on a real site.

The import writes batches of about 50 ms (\`Store.waitingWriters.batchMs\`) and pauses 10 ms after one that a
site's write waited for (\`DEFAULT_PAUSE_MS\` in \`src/services/import-papers.ts\`); a log-in is one write (its
rate-limit counting and its new session) plus the password check (Argon2id, 19 MiB, 2 passes: about 15 ms of CPU). Autocannon is a closed loop: the cheaper \`/\` is, the more of the two cores it takes, and the import
gets what is left.

Measured ${date} on ${machine}; load average ${loadBefore.toFixed(1)} before the run, ${loadAfter.toFixed(1)} at its end (its own processes included).${
      loadBefore > cpu.length
        ? ' The machine was busy with other work before the run (load above its core count): the figures are lower than an idle machine gives.'
        : ''
    }
`,
  );
  log('written to docs/benchmarks.md');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
