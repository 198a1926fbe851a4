import { type Command, InvalidArgumentError } from 'commander';
import { loadConfig } from '../../config.ts';
import type { Embedder } from '../../embeddings/embedder.ts';
import { DEFAULT_LSA } from '../../embeddings/lsa-model.ts';
import { SemanticIndex } from '../../search-index/semantic-index.ts';
import {
  embedMissingPapers,
  loadEmbeddingModel,
  measureModelAgain,
  type TrainedModel,
  trainCheckedModel,
  useEmbeddingService,
} from '../../services/embed-papers.ts';
import { openStore } from '../../store/open-store.ts';
import type { Store } from '../../store/store.ts';
import { USAGE_EXIT_CODE } from '../failure.ts';
import { createProgress } from '../progress.ts';
import { vectorIndexBars } from '../vector-index-progress.ts';

/** Embeds papers that have no vector yet, with a progress bar; nothing to do without a trained model. */
export async function embedWithProgress(store: Store, embedder: Embedder): Promise<number> {
  const total = await store.vectors.countPapersToEmbed(embedder.model);
  if (total === 0) return 0;
  const progress = createProgress({ label: `embedding with ${embedder.model}`, total, noun: 'papers' });
  const started = Date.now();
  const embedded = (done: number) => {
    const seconds = (Date.now() - started) / 1000;
    return `embedded ${done.toLocaleString('en-US')} papers with ${embedder.model} in ${seconds.toFixed(1)} s (${Math.round(done / Math.max(seconds, 0.001)).toLocaleString('en-US')} papers/s)`;
  };
  let done = 0;
  const indexing = vectorIndexBars(() => progress.stop(embedded(done)));
  try {
    done = await embedMissingPapers(
      store,
      embedder,
      (count) => {
        done = count;
        progress.update(count, count);
      },
      indexing.progress,
    );
    indexing.end(() => progress.stop(embedded(done)));
    return done;
  } catch (error) {
    indexing.end(() => progress.stop());
    throw error;
  }
}

/** Compacts the keyword index (see Store.compactKeywordIndex) with a progress bar. */
export async function compactWithProgress(store: Store): Promise<void> {
  const progress = createProgress({ label: 'compacting the keyword index', total: 100, noun: 'steps' });
  const started = Date.now();
  let steps = 0;
  try {
    await store.papers.compactKeywordIndex((done, total) => {
      steps++;
      progress.update(total > 0 ? Math.round((100 * done) / total) : 100, steps);
    });
    progress.stop(`compacted the keyword index in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } catch (error) {
    progress.stop();
    throw error;
  }
}

/**
 * Brings the saved vector partitions (the approximate index `serve` loads) up to date: built when there are none
 * or the collection has doubled since (or `rebuild`), else the new vectors added to them.
 */
export async function updatePartitions(store: Store, rebuild: boolean): Promise<void> {
  const started = Date.now();
  const elapsed = (since: number) => ((Date.now() - since) / 1000).toFixed(1);
  if (store.vectors.vectorSearch === 'pgvector') {
    process.stderr.write(
      'vectors are searched in PostgreSQL (pgvector, HNSW index): no partitions to build\n',
    );
    return;
  }
  const semantic = await SemanticIndex.open(store, { rebuild });
  if (!semantic) return;
  const vectors = semantic.size.toLocaleString('en-US');
  process.stderr.write(`loaded ${vectors} vectors in ${elapsed(started)} s\n`);
  const partitioned = Date.now();
  await semantic.partitioning;
  if (semantic.partitionError) throw semantic.partitionError;
  const info = semantic.partitionInfo;
  if (!info) {
    process.stderr.write(`${vectors} vectors: searched exactly, no partitions needed yet\n`);
    return;
  }
  if (!semantic.builtPartitions) await semantic.savePartitions();
  process.stderr.write(
    `${semantic.builtPartitions ? 'built' : 'updated'} ${info.lists.toLocaleString('en-US')} vector partitions in ${elapsed(partitioned)} s and saved them\n`,
  );
}

interface IndexOptions {
  embed: boolean;
  retrain: boolean;
  force: boolean;
  partitions: boolean;
  compact: boolean;
  measure: boolean;
  dimensions: number;
  embedderUrl?: string;
  embedderModel?: string;
}

function embedderUrl(value: string): string {
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
    throw new InvalidArgumentError('an http(s) URL such as http://127.0.0.1:8080/v1');
  }
  return value;
}

function modelDimensions(value: string): number {
  const dimensions = Number(value);
  if (!Number.isInteger(dimensions) || dimensions < 8 || dimensions > 1024) {
    throw new InvalidArgumentError('a whole number from 8 to 1024');
  }
  return dimensions;
}

/** The embedding service asked for, else the saved model (none with --retrain), else a newly trained one. */
async function chooseEmbedder(store: Store, options: IndexOptions): Promise<Embedder> {
  const chosen =
    options.embedderUrl && options.embedderModel
      ? await useEmbeddingService(store, options.embedderUrl, options.embedderModel)
      : options.retrain
        ? null
        : await loadEmbeddingModel(store);
  if (chosen) return chosen;
  const { dimensions } = options;
  const started = Date.now();
  process.stderr.write(`training an embedding model (${dimensions} dimensions) on the papers…\n`);
  const outcome = await trainCheckedModel(store, {
    dimensions,
    force: options.force,
    onProgress: (step) => process.stderr.write(`  ${step}\n`),
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stderr.write(`trained ${outcome.trained.model} in ${seconds} s\n${qualityLine(outcome)}\n`);
  return outcome.inUse;
}

/** What the quality check found, in one line: the scores and which model the site keeps. */
function qualityLine(outcome: TrainedModel): string {
  const score = `finds held-out papers from their titles with MRR@10 ${outcome.score.toFixed(3)}`;
  if (outcome.currentScore === null) return `the new model ${score}`;
  const versus = `${score} (the model in use: ${outcome.currentScore.toFixed(3)})`;
  return outcome.installed
    ? `the new model ${versus}: installed`
    : `the new model ${versus}: kept ${outcome.inUse.model}; --force installs the new one anyway`;
}

async function measureWithReport(store: Store): Promise<void> {
  const measured = await measureModelAgain(store);
  if (!measured) {
    process.stderr.write('nothing to measure: no built-in embedding model yet (index --embed trains one)\n');
    return;
  }
  const before = measured.before === undefined ? 'not measured' : measured.before.toFixed(3);
  process.stderr.write(
    `${measured.model} finds held-out papers from their titles with MRR@10 ${measured.after.toFixed(3)} (stored before: ${before}); saved\n`,
  );
}

async function runIndex(options: IndexOptions, command: Command): Promise<void> {
  if ((options.embedderUrl === undefined) !== (options.embedderModel === undefined)) {
    command.error('error: --embedder-url and --embedder-model go together', {
      exitCode: USAGE_EXIT_CODE,
    });
  }
  if (options.embedderUrl && (options.retrain || !options.embed)) {
    command.error('error: --embedder-url goes with --embed (--retrain trains the built-in model instead)', {
      exitCode: USAGE_EXIT_CODE,
    });
  }
  if (!options.embed && !options.retrain && !options.partitions && !options.compact && !options.measure) {
    process.stderr.write(
      'nothing to do: add --embed (or --retrain, --measure, --partitions, --compact); see --help\n',
    );
    return;
  }
  const config = loadConfig();
  const store = await openStore(config.database);
  try {
    if (options.compact) await compactWithProgress(store);
    if (options.measure) await measureWithReport(store);
    if (!options.embed && !options.retrain) {
      if (options.partitions) await updatePartitions(store, true);
      return;
    }
    const embedder = await chooseEmbedder(store, options);
    const done = await embedWithProgress(store, embedder);
    if (done === 0) process.stderr.write(`every paper already has a vector from ${embedder.model}\n`);
    await updatePartitions(store, options.partitions);
  } finally {
    await store.close();
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
    .option(
      '--retrain',
      'train a new embedding model on the current papers and embed them all again, unless it finds held-out papers from their titles worse than the model in use',
      false,
    )
    .option(
      '--force',
      'with --retrain: install the new model even when it scores below the model in use',
      false,
    )
    .option(
      '--measure',
      'measure the built-in model again on held-out papers and save the score, by which search weighs meaning',
      false,
    )
    .option('--partitions', 'build the vector partitions again even if the saved ones still fit', false)
    .option(
      '--compact',
      'compact the keyword index for faster search (imports that add a fifth of the papers do it themselves)',
      false,
    )
    .option(
      '--embedder-url <url>',
      'with --embed: embed with an OpenAI-compatible service at this base URL (POST <url>/embeddings) instead of the built-in model; EMBEDDER_API_KEY is sent as a bearer token',
      embedderUrl,
    )
    .option('--embedder-model <name>', 'the model name the embedding service expects (with --embedder-url)')
    .option(
      '--dimensions <n>',
      'dimensions of a newly trained model (8 to 1024; above 7,500 papers, of each cluster’s model, beside 128 for the whole collection)',
      modelDimensions,
      DEFAULT_LSA.dimensions,
    )
    .addHelpText(
      'after',
      '\nThe keyword index is always kept in sync by imports. The embedding model is latent semantic analysis\ntrained on this site’s own papers (no download); imports embed new papers once a model exists.\nA stronger model can be any OpenAI-compatible embedding service: --embed --embedder-url URL --embedder-model NAME\n(a new service or model embeds every paper again; --retrain goes back to the built-in model).\nFrom 20,000 papers on, --embed also saves vector partitions, so that `serve` searches approximately from the start.\n',
    )
    .action(runIndex);
}
