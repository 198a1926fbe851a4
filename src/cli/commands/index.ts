import { type Command, InvalidArgumentError } from 'commander';
import { loadConfig } from '../../config.ts';
import type { Embedder } from '../../embeddings/embedder.ts';
import { embedMissingPapers, loadEmbeddingModel, trainEmbeddingModel } from '../../services/embed-papers.ts';
import { openStore } from '../../store/open-store.ts';
import type { Store } from '../../store/store.ts';
import { createProgress } from '../progress.ts';

/** Embeds papers that have no vector yet, with a progress bar; nothing to do without a trained model. */
export async function embedWithProgress(store: Store, embedder: Embedder): Promise<number> {
  const total = await store.countPapersToEmbed(embedder.model);
  if (total === 0) return 0;
  const progress = createProgress({ label: `embedding with ${embedder.model}`, total, noun: 'papers' });
  try {
    const done = await embedMissingPapers(store, embedder, (count) => progress.update(count, count));
    progress.stop(`embedded ${done.toLocaleString('en-US')} papers with ${embedder.model}`);
    return done;
  } catch (error) {
    progress.stop();
    throw error;
  }
}

export function registerIndexCommand(program: Command): void {
  program
    .command('index')
    .description(
      'build the search indexes: --embed trains the embedding model if needed and embeds new papers',
    )
    .option(
      '--embed',
      'embed every paper that has no vector yet (resumable; trains a model first if there is none)',
      false,
    )
    .option('--retrain', 'train a new embedding model on the current papers and embed them all again', false)
    .option(
      '--dimensions <n>',
      'vector dimensions of a newly trained model (8 to 1024)',
      (value) => {
        const dimensions = Number(value);
        if (!Number.isInteger(dimensions) || dimensions < 8 || dimensions > 1024) {
          throw new InvalidArgumentError('a whole number from 8 to 1024');
        }
        return dimensions;
      },
      256,
    )
    .addHelpText(
      'after',
      '\nThe keyword index is always kept in sync by imports. The embedding model is latent semantic analysis\ntrained on this site’s own papers (no download); imports embed new papers once a model exists.\n',
    )
    .action(async (options: { embed: boolean; retrain: boolean; dimensions: number }) => {
      const { dimensions } = options;
      if (!options.embed && !options.retrain) {
        process.stderr.write('nothing to do: add --embed (or --retrain); see --help\n');
        return;
      }
      const config = loadConfig();
      const store = await openStore(config.database);
      try {
        let embedder = options.retrain ? null : await loadEmbeddingModel(store);
        if (!embedder) {
          const started = Date.now();
          process.stderr.write(`training an embedding model (${dimensions} dimensions) on the papers…\n`);
          embedder = await trainEmbeddingModel(store, {
            dimensions,
            onProgress: (step) => process.stderr.write(`  ${step}\n`),
          });
          process.stderr.write(
            `trained ${embedder.model} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
          );
        }
        const done = await embedWithProgress(store, embedder);
        if (done === 0) process.stderr.write(`every paper already has a vector from ${embedder.model}\n`);
      } finally {
        await store.close();
      }
    });
}
