import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './free-port.ts';

const BIN = '/usr/lib/postgresql/15/bin';

/** A database of its own on a PostgreSQL server, dropped by `drop()`. */
export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** True when tests can get a PostgreSQL server: DATABASE_URL names one, or the Debian binaries are installed. */
export function postgresAvailable(): boolean {
  return Boolean(serverUrlFromEnv()) || existsSync(join(BIN, 'initdb'));
}

/**
 * Why tests cannot use the pgvector extension, or null when they can: it must be installed into the PostgreSQL
 * the throwaway clusters run on (`.ci/install-pgvector`).
 */
export function pgvectorMissing(): string | null {
  let sharedir: string;
  try {
    sharedir = execFileSync(join(BIN, 'pg_config'), ['--sharedir'], { stdio: 'pipe' }).toString().trim();
  } catch {
    sharedir = '/usr/share/postgresql/15';
  }
  return existsSync(join(sharedir, 'extension', 'vector.control'))
    ? null
    : `pgvector is not installed in ${sharedir}/extension (run .ci/install-pgvector)`;
}

function serverUrlFromEnv(): string | null {
  const url = process.env.DATABASE_URL;
  return url && /^postgres(ql)?:\/\//.test(url) ? url : null;
}

/** Runs a PostgreSQL binary, as the postgres user when we are root (initdb refuses root). */
function runPostgresBinary(name: string, args: string[]): void {
  const asRoot = process.getuid?.() === 0;
  const [command, commandArgs] = asRoot
    ? ['runuser', ['-u', 'postgres', '--', join(BIN, name), ...args]]
    : [join(BIN, name), args];
  execFileSync(command, commandArgs, { stdio: 'pipe' });
}

/** Makes the postgres user own `dir` when we are root (initdb refuses root). */
function giveToPostgres(dir: string): string {
  if (process.getuid?.() === 0)
    chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString().trim()), 0);
  return dir;
}

/** A temp directory the postgres user owns. */
function clusterDir(): string {
  return giveToPostgres(mkdtempSync(join(tmpdir(), 'dailypapers-pg-')));
}

function initCluster(data: string): void {
  runPostgresBinary('initdb', [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=trust',
    '-E',
    'UTF8',
    '--locale=C.UTF-8',
  ]);
}

/** PostgreSQL's own default, made for small machines; benchmarks raise it as a production server would. */
let sharedBuffers = '128MB';
/** What benchmarks give throwaway clusters: room for the papers table and its indexes at 80k papers. */
export const BENCH_SHARED_BUFFERS = '1GB';

/**
 * The buffer cache of throwaway clusters started from now on (e.g. '1GB'). With the default, an 80k-paper
 * collection's papers table and search index do not fit, and every search copies pages from the OS cache.
 */
export function useSharedBuffers(size: string): void {
  sharedBuffers = size;
}

/** Starts the server on `data` (its socket and log in `dir`); `stop` shuts it down at once, or cleanly. */
function startServer(
  dir: string,
  data: string,
  port: number,
  settings = '',
): { stop(mode?: 'immediate' | 'fast'): void } {
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 -c shared_buffers=${sharedBuffers} ${settings}`;
  runPostgresBinary('pg_ctl', [
    '-D',
    data,
    '-o',
    options,
    '-l',
    join(dir, 'log'),
    '-w',
    '-t',
    '600',
    'start',
  ]);
  return { stop: (mode = 'immediate') => stopServer(data, mode) };
}

function stopServer(data: string, mode: 'immediate' | 'fast'): void {
  try {
    runPostgresBinary('pg_ctl', ['-D', data, '-m', mode, '-w', '-t', '600', 'stop']);
  } catch {
    // already stopped
  }
}

/** Starts a server that is stopped and its directory removed when the process exits. */
function startThrowawayServer(dir: string, data: string, port: number): { stop(): void } {
  const server = startServer(dir, data, port);
  process.on('exit', () => {
    server.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return server;
}

/** The server process of a cluster's data directory while it runs (postmaster.pid's first line). */
export function postmasterPid(dir: string): number | null {
  const file = join(dir, 'data', 'postmaster.pid');
  return existsSync(file) ? Number(readFileSync(file, 'utf8').split('\n')[0]) || null : null;
}

/**
 * A cluster kept in `dir` for later runs (made by initdb on first use), started on a free port with the given
 * shared_buffers and stopped cleanly by `stop()` or when the process exits. A server left running by a killed
 * run is stopped first. fsync is off as in the throwaway clusters: after a machine crash, delete `dir`.
 */
export async function startKeptCluster(
  dir: string,
  buffers: string,
): Promise<{ url: string; dir: string; stop(): void }> {
  const data = join(dir, 'data');
  if (!existsSync(join(data, 'PG_VERSION'))) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    giveToPostgres(dir);
    initCluster(data);
  }
  if (postmasterPid(dir) !== null) stopServer(data, 'fast');
  const port = await freePort();
  const previous = sharedBuffers;
  sharedBuffers = buffers;
  const server = (() => {
    try {
      // Bulk loads of tens of gigabytes: a checkpoint every 2 GB of WAL rather than every 1 GB (the default), no
      // more, since the WAL kept takes disk space the copy needs.
      return startServer(dir, data, port, '-c max_wal_size=2GB');
    } finally {
      sharedBuffers = previous;
    }
  })();
  const stop = () => server.stop('fast');
  process.on('exit', stop);
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, dir, stop };
}

/** Starts a throwaway cluster in a temp directory on a free port; it is stopped and removed when the process exits. */
async function startCluster(): Promise<string> {
  const dir = clusterDir();
  const port = await freePort();
  const data = join(dir, 'data');
  initCluster(data);
  startThrowawayServer(dir, data, port);
  return `postgres://postgres@127.0.0.1:${port}/postgres`;
}

/** A primary and its streaming replica, both throwaway clusters. */
export interface ReplicatedServers {
  primaryUrl: string;
  replicaUrl: string;
  /** Stops the replica at once, as a crash would. */
  stopReplica(): void;
}

/**
 * A fresh primary (its own cluster, not the shared test server) and a hot-standby replica made from it with
 * `pg_basebackup`, streaming its changes. Both stop when the process exits.
 */
export async function startReplicatedServers(): Promise<ReplicatedServers> {
  const primaryUrl = await startCluster();
  const primary = new URL(primaryUrl);
  const dir = clusterDir();
  const data = join(dir, 'data');
  runPostgresBinary('pg_basebackup', [
    '-h',
    primary.hostname,
    '-p',
    primary.port,
    '-U',
    'postgres',
    '-D',
    data,
    '-R',
    '-X',
    'stream',
    '-c',
    'fast',
  ]);
  const port = await freePort();
  const replica = startThrowawayServer(dir, data, port);
  return {
    primaryUrl,
    replicaUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stopReplica: () => replica.stop(),
  };
}

let server: Promise<string> | undefined;

/** The URL of a server to create test databases on: DATABASE_URL when it is PostgreSQL, else a throwaway cluster. */
export function testServerUrl(): Promise<string> {
  if (!server) {
    const fromEnv = serverUrlFromEnv();
    server = fromEnv ? Promise.resolve(fromEnv) : startCluster();
  }
  return server;
}

/** A fresh, empty database on the test server. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = await testServerUrl();
  const name = `dailypapers_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
