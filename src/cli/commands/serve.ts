import type { Command } from 'commander';
import { loadConfig } from '../../config.ts';
import { createMailer, describeMailMode } from '../../mail/mailer.ts';
import { SemanticIndex } from '../../search-index/semantic-index.ts';
import { type DigestScheduler, startDigestScheduler } from '../../services/digest-scheduler.ts';
import { embedMissingPapers, trainEmbeddingModel } from '../../services/embed-papers.ts';
import { loadSampleIfEmpty } from '../../services/load-sample.ts';
import { MailLinks } from '../../services/mail-links.ts';
import { openStore } from '../../store/open-store.ts';
import { buildServer } from '../../web/server.ts';

const VECTOR_REFRESH_MS = 60_000;

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('serve the site (loads the bundled sample papers into an empty database)')
    .option('-p, --port <port>', 'port to listen on (default: $PORT or 3000)')
    .option('--host <host>', 'address to bind (default: $HOST or 127.0.0.1)')
    .action(async (options: { port?: string; host?: string }) => {
      const config = loadConfig({
        ...process.env,
        ...(options.port !== undefined && { PORT: options.port }),
        ...(options.host !== undefined && { HOST: options.host }),
      });
      const store = await openStore(config.database);
      if (config.loadSample === 'auto') {
        const loaded = await loadSampleIfEmpty(store);
        if (loaded > 0) {
          process.stderr.write(`loaded ${loaded} sample papers into the empty database\n`);
          const model = await trainEmbeddingModel(store);
          await embedMissingPapers(store, model);
          process.stderr.write(`trained ${model.model} on them for semantic search\n`);
        }
      }
      const semantic = await SemanticIndex.open(store);
      const app = await buildServer({ store, config, semantic });
      // New papers (imports, submissions, other processes) reach semantic search within a minute.
      const freshVectors =
        semantic &&
        setInterval(() => {
          void embedMissingPapers(store, semantic.embedder)
            .then(() => semantic.refresh())
            .catch((error: unknown) =>
              process.stderr.write(`semantic index refresh failed: ${String(error)}\n`),
            );
        }, VECTOR_REFRESH_MS);
      // Digests go out from this process unless DIGEST_SCHEDULER=off (then cron runs `dailypapers digest send`).
      const mailer = createMailer(config.mail);
      let digests: DigestScheduler | null = null;
      const shutdown = async () => {
        if (freshVectors) clearInterval(freshVectors);
        await digests?.stop();
        await mailer.close();
        await app.close();
        await store.close();
        process.exit(0);
      };
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
      await app.listen({ port: config.port, host: config.host });
      process.stderr.write(`Dailypapers is running at ${config.baseUrl}/\n`);
      process.stderr.write(`mail: ${describeMailMode(mailer.mode)}\n`);
      process.stderr.write(
        semantic
          ? `search: keyword + semantic (${semantic.embedder.model}, ${semantic.size} vectors)\n`
          : 'search: keyword only (run `dailypapers index --embed` for semantic search and similar papers)\n',
      );
      void semantic?.partitioning.then(() => {
        if (semantic.partitionSeconds > 0) {
          process.stderr.write(
            `search: approximate vector index ready (${semantic.partitionSeconds.toFixed(1)} s)\n`,
          );
        }
      });
      if (config.digest.scheduler) {
        const links = await MailLinks.forSite(store, config);
        digests = startDigestScheduler({ store, mailer, links }, config.digest, { from: config.mail.from });
      }
    });
}
