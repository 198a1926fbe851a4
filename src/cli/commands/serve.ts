import cluster, { type Worker } from 'node:cluster';
import { setFlagsFromString } from 'node:v8';
import { type Command, InvalidArgumentError } from 'commander';
import { collectAfterBursts, collectGarbage } from '../../collect-garbage.ts';
import { type Config, loadConfig } from '../../config.ts';
import type { Embedder } from '../../embeddings/embedder.ts';
import { createMailer, describeMailMode } from '../../mail/mailer.ts';
import { LiveSemanticIndex } from '../../search-index/live-semantic-index.ts';
import { SemanticIndex } from '../../search-index/semantic-index.ts';
import { openAdminSetup } from '../../services/account-lifecycle.ts';
import { trainInBackground } from '../../services/background-training.ts';
import { type DigestScheduler, startDigestScheduler } from '../../services/digest-scheduler.ts';
import { embedMissingPapers, loadEmbeddingModel } from '../../services/embed-papers.ts';
import { loadSampleIfEmpty } from '../../services/load-sample.ts';
import { MailLinks } from '../../services/mail-links.ts';
import { openStore } from '../../store/open-store.ts';
import { freeMemoryReleaser } from '../../store/sqlite/release-free-memory.ts';
import type { Store } from '../../store/store.ts';
import { sizeMathCache } from '../../text/math.ts';
import { buildServer } from '../../web/server.ts';
import { MALLOC_SETTINGS } from '../malloc-settings.ts';

/** New papers (imports, submissions, other processes) and new models reach semantic search within this time. */
const VECTOR_REFRESH_MS = 60_000;
const RESTART_DELAY_MS = 1_000;
const MAX_WORKERS = 64;

interface ServeOptions {
  port?: string;
  host?: string;
  workers: number;
}

function parseWorkers(value: string): number {
  const workers = Number(value);
  if (!Number.isInteger(workers) || workers < 1 || workers > MAX_WORKERS) {
    throw new InvalidArgumentError(`a whole number from 1 to ${MAX_WORKERS}`);
  }
  return workers;
}

function parsePort(value: string): string {
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) {
    throw new InvalidArgumentError('a whole number from 0 to 65535');
  }
  return value;
}

const log = (line: string) => process.stderr.write(`${line}\n`);

/** The start-up line saying where semantic search finds its vectors. */
function describeVectorSearch(store: Store): string {
  return store.vectors.vectorSearch === 'pgvector'
    ? 'vectors: searched in PostgreSQL (pgvector, HNSW index); web processes hold no vector index'
    : 'vectors: an in-process vector index in each web process';
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('serve the site (loads the bundled sample papers into an empty database)')
    .option('-p, --port <port>', 'port to listen on (default: $PORT or 3000)', parsePort)
    .option('--host <host>', 'address to bind (default: $HOST or 127.0.0.1)')
    .option(
      '-w, --workers <n>',
      'web processes sharing the port; background jobs (digests, embedding new papers) run once, in the parent',
      parseWorkers,
      1,
    )
    .action(async (options: ServeOptions) => {
      const config = loadConfig({
        ...process.env,
        ...(options.port !== undefined && { PORT: options.port }),
        ...(options.host !== undefined && { HOST: options.host }),
      });
      if (cluster.isWorker) return serveWeb(config, null);
      if (options.workers === 1) return serveWeb(config, { train: await loadSample(config) });
      return superviseWorkers(config, options.workers);
    });
}

/**
 * First start on an empty database: the sample papers, before any web process starts (about a second). Returns
 * whether they were loaded, in which case a model is trained on them in the background (see startJobs).
 */
async function loadSample(config: Config): Promise<boolean> {
  if (config.loadSample !== 'auto') return false;
  const store = await openStore(config.database);
  try {
    const loaded = await loadSampleIfEmpty(store);
    if (loaded > 0) log(`loaded ${loaded} sample papers into the empty database`);
    return loaded > 0;
  } finally {
    await store.close();
  }
}

/** Background work that must run once per site, not once per web process. */
interface Jobs {
  stop(): Promise<void>;
}

interface JobOptions {
  /** Train a model (on a thread of its own) for semantic search, which goes by words until it is ready. */
  train: boolean;
  /** Told when training starts and when a new model or new vectors are ready, to tell the web processes. */
  onSemanticChange(change: 'training' | 'ready'): void;
  /** The model this process already holds for search, if it is `model`: embedding new papers needs no copy. */
  loadedModel?(model: string): Embedder | null;
}

async function startJobs(store: Store, config: Config, options: JobOptions): Promise<Jobs> {
  const mailer = createMailer(config.mail);
  log(`mail: ${describeMailMode(mailer.mode)}`);
  const setupToken = await openAdminSetup(store);
  if (setupToken) {
    log(
      `no admin yet: open ${config.baseUrl}/setup/${setupToken} to create the admin account (works once, until the next start), or run \`dailypapers users create NAME --email EMAIL --admin\``,
    );
  }
  const stopTraining = new AbortController();
  let training: Promise<unknown> | null = null;
  let trainingDone = true;
  if (options.train) {
    trainingDone = false;
    options.onSemanticChange('training');
    const started = Date.now();
    training = trainInBackground(config.database, stopTraining.signal).then(
      ({ model, embedded }) => {
        trainingDone = true;
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        log(`search: trained ${model} on ${embedded} papers in ${seconds} s; semantic search is on`);
        options.onSemanticChange('ready');
      },
      (error: unknown) => {
        trainingDone = true;
        if (stopTraining.signal.aborted) return;
        log(`training the embedding model failed (search stays by keyword): ${String(error)}`);
        options.onSemanticChange('ready');
      },
    );
  }
  // New papers are embedded with the site's current model, whichever process trained it and when.
  let embedder: Embedder | null = null;
  const embedNewPapers = async () => {
    if (!trainingDone) return; // the training thread embeds every paper itself
    const model = await store.vectors.embeddingModelName();
    if (model === null) return;
    if (embedder?.model !== model)
      embedder = options.loadedModel?.(model) ?? (await loadEmbeddingModel(store));
    if (embedder && (await embedMissingPapers(store, embedder)) > 0) options.onSemanticChange('ready');
  };
  const embedding = setInterval(() => {
    void embedNewPapers().catch((error: unknown) => log(`embedding new papers failed: ${String(error)}`));
  }, VECTOR_REFRESH_MS);
  // Digests go out from here unless DIGEST_SCHEDULER=off (then cron runs `dailypapers digest send`); a database lock
  // keeps several machines from sending the same period.
  let digests: DigestScheduler | null = null;
  if (config.digest.scheduler) {
    const links = await MailLinks.forSite(store, config);
    digests = startDigestScheduler({ store, mailer, links }, config.digest, { from: config.mail.from });
  }
  return {
    async stop() {
      clearInterval(embedding);
      stopTraining.abort();
      await training;
      await digests?.stop();
      await mailer.close();
    },
  };
}

/** The start-up line saying what runs: the JavaScript build, or the TypeScript through tsx (bin/dailypapers.js). */
function describeCode(): string {
  return import.meta.url.endsWith('.js')
    ? 'code: the JavaScript build (dist/)'
    : 'code: the TypeScript through tsx, whose loader holds some 40 MB a process more than the JavaScript build (`npm run build`)';
}

/** The start-up line saying where the web's reads go, for a site with a read replica. */
function describeReads(config: Config): string | null {
  if (config.database.kind !== 'postgres' || !config.database.replicaUrl) return null;
  const replica = new URL(config.database.replicaUrl);
  return `reads: web pages and API reads from the replica at ${replica.host}; writes, a member's next requests after a write, and background jobs on the primary`;
}

/** A web process; `jobs` for the only one (no --workers), which runs the background jobs too. */
async function serveWeb(config: Config, jobs: { train: boolean } | null): Promise<void> {
  // A web process keeps some 50 MB of live objects and allocates far more per request: by default V8 lets its heap
  // grow to several times what is live before collecting. At 80k papers `small` held RSS near 300 MB after a load
  // instead of 500, for some 40 % more CPU per uncached page (docs/benchmarks.md).
  if (config.webHeap === 'small') setFlagsFromString('--optimize-for-size');
  let replicaFailed = 0;
  const store = await openStore(config.database, {
    onReplicaFailure(error) {
      // One line per episode: the pool rests the replica for a few seconds after a failure.
      if (Date.now() - replicaFailed > 60_000)
        log(`reads: the replica failed (${error.message}); reading from the primary until it answers again`);
      replicaFailed = Date.now();
    },
  });
  sizeMathCache(config.caches.mathBytes);
  const semantic = await LiveSemanticIndex.open(store, {
    similarLists: config.caches.similarLists,
    termTablesDir: config.termTablesDir,
  });
  collectGarbage();
  const app = await buildServer({ store, config, semantic });
  const refreshSemantic = () => {
    const model = semantic.index?.embedder.model;
    semantic
      .refresh()
      .then(() => {
        // A new model replaced the old one: the old model and the blob the new one was read from are garbage.
        if (semantic.index?.embedder.model !== model) collectGarbage();
      })
      .catch((error: unknown) => log(`semantic index refresh failed: ${String(error)}`));
  };
  const refresh = setInterval(refreshSemantic, VECTOR_REFRESH_MS);
  const stopCollecting = collectAfterBursts(freeMemoryReleaser());
  const followChange = (change: 'training' | 'ready') => {
    semantic.setTraining(change === 'training');
    if (change === 'ready') refreshSemantic();
  };
  // The parent of `serve --workers N` tells its web processes (see superviseWorkers).
  if (cluster.isWorker) {
    process.on('message', (message) => {
      if (message === SEMANTIC_TRAINING) followChange('training');
      if (message === SEMANTIC_READY) followChange('ready');
    });
  }
  await app.listen({ port: config.port, host: config.host });
  const loadedModel = (model: string) =>
    semantic.index?.embedder.model === model ? semantic.index.embedder : null;
  const running = jobs
    ? await startJobs(store, config, { ...jobs, onSemanticChange: followChange, loadedModel })
    : null;
  const shutdown = async () => {
    clearInterval(refresh);
    stopCollecting();
    await running?.stop();
    await app.close();
    await store.close();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  if (cluster.isWorker) return;
  logStartup(config, store, semantic);
}

/** What a single web process says once it listens: its address, its search, its vectors, code and settings. */
function logStartup(config: Config, store: Store, semantic: LiveSemanticIndex): void {
  log(`Dailypapers is running at ${config.baseUrl}/`);
  const current = semantic.index;
  log(
    current
      ? `search: keyword + semantic (${current.embedder.model}${current instanceof SemanticIndex ? `, ${current.size} vectors` : ''})`
      : semantic.preparing
        ? 'search: keyword only until the embedding model, training in the background, is ready'
        : 'search: keyword only (run `dailypapers index --embed` for semantic search and similar papers)',
  );
  log(describeVectorSearch(store));
  log(describeCode());
  const malloc = describeMalloc();
  if (malloc) log(malloc);
  const reads = describeReads(config);
  if (reads) log(reads);
  if (!(current instanceof SemanticIndex)) return;
  void current.partitioning.then(() => {
    if (current.partitionSeconds > 0) {
      log(`search: approximate vector index ready (${current.partitionSeconds.toFixed(1)} s)`);
    }
  });
}

/** The start-up line of a single web process that was not started with glibc's settings for one (MALLOC_SETTINGS). */
function describeMalloc(): string | null {
  if (Object.keys(MALLOC_SETTINGS).every((name) => process.env[name] !== undefined)) return null;
  return 'memory: start with MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=131072 in the environment (npm start does) for some 100–200 MB less at 80k papers, or use --workers';
}

const SEMANTIC_TRAINING = 'semantic-training';
const SEMANTIC_READY = 'semantic-ready';

/** The parent of `serve --workers N`: prepares the site, forks the web processes, restarts any that die, runs the jobs. */
async function superviseWorkers(config: Config, count: number): Promise<void> {
  const train = await loadSample(config);
  let training = false;
  const tell = (message: string, worker?: Worker) => {
    for (const each of worker ? [worker] : Object.values(cluster.workers ?? {})) {
      if (each?.isConnected()) each.send(message);
    }
  };
  // A web process started (or restarted) during training hears of it too.
  cluster.on('online', (worker) => {
    if (training) tell(SEMANTIC_TRAINING, worker);
  });
  let stopping = false;
  let listening = 0;
  // glibc's settings are read when a process starts, so only the web processes forked here can be given them; ones
  // set by hand win.
  const fork = () => cluster.fork(MALLOC_SETTINGS);
  cluster.on('listening', () => {
    listening += 1;
    if (listening === count) log(`Dailypapers is running at ${config.baseUrl}/ (${count} web processes)`);
  });
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    log(`web process ${worker.process.pid} stopped (${signal ?? `exit ${code}`}); starting another`);
    setTimeout(fork, RESTART_DELAY_MS);
  });
  for (let i = 0; i < count; i++) fork();

  const store = await openStore(config.database);
  log(describeVectorSearch(store));
  log(describeCode());
  const reads = describeReads(config);
  if (reads) log(reads);
  const jobs = await startJobs(store, config, {
    train,
    onSemanticChange(change) {
      training = change === 'training';
      tell(change === 'training' ? SEMANTIC_TRAINING : SEMANTIC_READY);
    },
  });
  const shutdown = async () => {
    stopping = true;
    const exited = Object.values(cluster.workers ?? {}).map(
      (worker) =>
        worker &&
        new Promise<void>((resolve) => {
          worker.once('exit', () => resolve());
          worker.process.kill('SIGTERM');
        }),
    );
    await Promise.all(exited);
    await jobs.stop();
    await store.close();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}
