import cluster from 'node:cluster';
import { type Command, InvalidArgumentError } from 'commander';
import { type Config, loadConfig } from '../../config.ts';
import { createMailer, describeMailMode } from '../../mail/mailer.ts';
import { openSemanticSearch } from '../../search-index/open-semantic-search.ts';
import { SemanticIndex } from '../../search-index/semantic-index.ts';
import { type DigestScheduler, startDigestScheduler } from '../../services/digest-scheduler.ts';
import { embedMissingPapers, loadEmbeddingModel, trainEmbeddingModel } from '../../services/embed-papers.ts';
import { loadSampleIfEmpty } from '../../services/load-sample.ts';
import { MailLinks } from '../../services/mail-links.ts';
import { openStore } from '../../store/open-store.ts';
import type { Store } from '../../store/store.ts';
import { buildServer } from '../../web/server.ts';

/** New papers (imports, submissions, other processes) reach semantic search within this time. */
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

const log = (line: string) => process.stderr.write(`${line}\n`);

/** The start-up line saying where semantic search finds its vectors. */
function describeVectorSearch(store: Store): string {
  return store.vectorSearch === 'pgvector'
    ? 'vectors: searched in PostgreSQL (pgvector, HNSW index); web processes hold no vector index'
    : 'vectors: an in-process vector index in each web process';
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('serve the site (loads the bundled sample papers into an empty database)')
    .option('-p, --port <port>', 'port to listen on (default: $PORT or 3000)')
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
      if (cluster.isWorker) return serveWeb(config, { jobs: false });
      if (options.workers === 1) {
        await prepareSite(config);
        return serveWeb(config, { jobs: true });
      }
      return superviseWorkers(config, options.workers);
    });
}

/** First start on an empty database: the sample papers and a model trained on them. Runs once, before any worker. */
async function prepareSite(config: Config): Promise<void> {
  if (config.loadSample !== 'auto') return;
  const store = await openStore(config.database);
  try {
    const loaded = await loadSampleIfEmpty(store);
    if (loaded > 0) {
      log(`loaded ${loaded} sample papers into the empty database`);
      const model = await trainEmbeddingModel(store);
      await embedMissingPapers(store, model);
      log(`trained ${model.model} on them for semantic search`);
    }
  } finally {
    await store.close();
  }
}

/** Background work that must run once per site, not once per web process. */
interface Jobs {
  stop(): Promise<void>;
}

async function startJobs(store: Store, config: Config): Promise<Jobs> {
  const mailer = createMailer(config.mail);
  log(`mail: ${describeMailMode(mailer.mode)}`);
  const embedder = await loadEmbeddingModel(store);
  const embedding =
    embedder &&
    setInterval(() => {
      void embedMissingPapers(store, embedder).catch((error: unknown) =>
        log(`embedding new papers failed: ${String(error)}`),
      );
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
      if (embedding) clearInterval(embedding);
      await digests?.stop();
      await mailer.close();
    },
  };
}

async function serveWeb(config: Config, options: { jobs: boolean }): Promise<void> {
  const store = await openStore(config.database);
  const semantic = await openSemanticSearch(store);
  const app = await buildServer({ store, config, semantic });
  const refresh =
    semantic instanceof SemanticIndex &&
    setInterval(() => {
      semantic.refresh().catch((error: unknown) => log(`semantic index refresh failed: ${String(error)}`));
    }, VECTOR_REFRESH_MS);
  const jobs = options.jobs ? await startJobs(store, config) : null;
  const shutdown = async () => {
    if (refresh) clearInterval(refresh);
    await jobs?.stop();
    await app.close();
    await store.close();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  await app.listen({ port: config.port, host: config.host });
  if (cluster.isWorker) return;
  log(`Dailypapers is running at ${config.baseUrl}/`);
  log(
    semantic
      ? `search: keyword + semantic (${semantic.embedder.model}${semantic instanceof SemanticIndex ? `, ${semantic.size} vectors` : ''})`
      : 'search: keyword only (run `dailypapers index --embed` for semantic search and similar papers)',
  );
  log(describeVectorSearch(store));
  if (!(semantic instanceof SemanticIndex)) return;
  void semantic.partitioning.then(() => {
    if (semantic.partitionSeconds > 0) {
      log(`search: approximate vector index ready (${semantic.partitionSeconds.toFixed(1)} s)`);
    }
  });
}

/** The parent of `serve --workers N`: prepares the site, forks the web processes, restarts any that die, runs the jobs. */
async function superviseWorkers(config: Config, count: number): Promise<void> {
  await prepareSite(config);
  let stopping = false;
  let listening = 0;
  const fork = () => cluster.fork();
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
  const jobs = await startJobs(store, config);
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
