import { type Command, InvalidArgumentError } from 'commander';
import { loadConfig } from '../../config.ts';
import { isValidDay } from '../../domain/dates.ts';
import { loadEmbeddingModel } from '../../services/embed-papers.ts';
import { harvestIntoStore } from '../../services/harvest-oai.ts';
import { type ImportProgress, importPapers } from '../../services/import-papers.ts';
import { ARXIV_API_URL, fetchArxivPapers } from '../../sources/arxiv-api.ts';
import { ARXIV_OAI_URL, harvestOai } from '../../sources/oai-pmh.ts';
import { type ParseTask, parseInWorker } from '../../sources/parse-in-worker.ts';
import { stageInput } from '../../sources/staged-input.ts';
import { openStore } from '../../store/open-store.ts';
import type { Store } from '../../store/store.ts';
import { createProgress } from '../progress.ts';
import { compactWithProgress, embedWithProgress } from './index.ts';

interface FileImportOptions {
  skipBad?: boolean;
  batchSize: number;
}

function day(value: string): string {
  if (!isValidDay(value)) throw new InvalidArgumentError('must be a date as YYYY-MM-DD');
  return value;
}

function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1)
    throw new InvalidArgumentError('must be a positive whole number');
  return parsed;
}

const number = new Intl.NumberFormat('en-US');
const megabytes = () => Math.round(process.resourceUsage().maxRSS / 1024);

/** A bulk load (a fifth of the papers or more, at least 10,000) leaves the keyword index worth compacting. */
const isBulkLoad = (inserted: number, papers: number) => inserted >= 10_000 && inserted * 5 >= papers;

/** Runs an import against the configured store, then embeds the new papers when the site has a model. */
export async function withStore<T>(run: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(loadConfig().database);
  try {
    const result = await run(store);
    const embedder = await loadEmbeddingModel(store);
    if (embedder) await embedWithProgress(store, embedder);
    return result;
  } finally {
    await store.close();
  }
}

/** Ctrl-C aborts the import cleanly (rolled back or resumable) instead of killing it mid-write. */
export function abortOnInterrupt(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write('\ninterrupted: finishing the current batch… (Ctrl-C again to quit at once)\n');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/** With --skip-bad the file is read once, written as it comes; else copied, checked whole, then read again. */
async function openFileInput(task: ParseTask, skipBad: boolean) {
  if (skipBad) {
    const input = await parseInWorker(task);
    return { ...input, input: input.items, dispose: async () => {} };
  }
  const staged = await stageInput(task);
  return { ...staged, input: staged };
}

async function importFile(task: ParseTask, options: FileImportOptions): Promise<void> {
  const input = await openFileInput(task, options.skipBad ?? false);
  const interrupt = abortOnInterrupt();
  const reading = createProgress({
    label: `${options.skipBad ? 'importing' : 'checking'} ${input.name}`,
    total: input.size ?? undefined,
    noun: 'papers',
  });
  let progress = reading;
  let writing: ReturnType<typeof createProgress> | null = null;
  /** All or nothing: a first bar while the file is read and checked, a second while it is written. */
  const onProgress = (p: ImportProgress) => {
    if (options.skipBad || p.written === 0) return reading.update(input.bytesRead(), p.processed);
    if (!writing) {
      reading.stop();
      writing = createProgress({
        label: `writing ${input.name}`,
        total: p.processed - p.bad,
        noun: 'papers',
      });
      progress = writing;
    }
    writing.update(p.written, p.written);
  };
  try {
    // Checked before the store opens, so that the check's threads and the store's never take memory at the same
    // time; the import below gets the same answer (a failure included) and reports it.
    if ('check' in input.input)
      await input.input
        .check(({ processed }) => reading.update(input.bytesRead(), processed))
        .catch(() => {});
    const summary = await withStore(async (store) => {
      const imported = await importPapers(store, input.input, {
        skipBad: options.skipBad,
        batchSize: options.batchSize,
        signal: interrupt.signal,
        onProgress,
      });
      progress.stop(
        `${input.name}: ${number.format(imported.inserted)} new, ${number.format(imported.updated)} updated, ` +
          `${number.format(imported.unchanged)} unchanged, ${number.format(imported.bad)} bad` +
          (imported.droppedLinks > 0
            ? `, ${number.format(imported.droppedLinks)} links dropped (only http/https links are kept)`
            : '') +
          ` (peak memory ${megabytes()} MB)`,
      );
      if (isBulkLoad(imported.inserted, await store.papers.countPapers())) await compactWithProgress(store);
      return imported;
    });
    for (const error of summary.errors.slice(0, 20)) process.stderr.write(`  skipped: ${error.message}\n`);
    if (summary.errors.length > 20) process.stderr.write(`  … and ${summary.bad - 20} more skipped\n`);
  } catch (error) {
    progress.stop();
    throw error;
  } finally {
    interrupt.dispose();
    await input.dispose();
  }
}

function fileImport(parent: Command, name: string, description: string): Command {
  return parent
    .command(`${name} <file-or-url>`)
    .description(description)
    .option(
      '--skip-bad',
      'import the good records and report the bad ones (default: a bad record rejects the file)',
    )
    .option(
      '--batch-size <n>',
      'most records written per committed batch (batches are sized to take about 100 ms)',
      positiveInteger,
      2000,
    );
}

interface OaiHarvestOptions {
  set?: string;
  from?: string;
  until?: string;
  baseUrl: string;
  restart?: boolean;
}

/** Harvests arXiv over OAI-PMH into the store, showing progress; Ctrl-C stops it resumably. */
async function harvestArxivOai(options: OaiHarvestOptions): Promise<void> {
  const interrupt = abortOnInterrupt();
  let progress: ReturnType<typeof createProgress> | null = null;
  try {
    const result = await withStore((store) =>
      harvestIntoStore(store, harvestOai, {
        ...options,
        signal: interrupt.signal,
        onRetry: ({ waitMs }) =>
          process.stderr.write(`arXiv asked us to wait: retrying in ${Math.ceil(waitMs / 1000)} s\n`),
        onPage: (page) => {
          progress ??= createProgress({
            label: 'harvesting arXiv',
            total: page.completeListSize ?? undefined,
            noun: 'records',
          });
          progress.update(page.cursor ?? page.records, page.records);
        },
      }),
    );
    const how = interrupt.signal.aborted ? 'interrupted; run the same command again to resume' : 'complete';
    (progress as ReturnType<typeof createProgress> | null)?.stop();
    process.stderr.write(
      `harvest ${how}${result.resumed ? ' (resumed)' : ''}: ${number.format(result.pages)} pages, ` +
        `${number.format(result.inserted)} new, ${number.format(result.updated)} updated, ` +
        `${number.format(result.unchanged)} unchanged, ${number.format(result.deleted)} deleted upstream\n`,
    );
    if (interrupt.signal.aborted) process.exitCode = 130;
  } finally {
    interrupt.dispose();
  }
}

export function registerImportCommands(program: Command): void {
  const importCommand = program
    .command('import')
    .description('import papers from arXiv or Hugging Face (idempotent: importing twice changes nothing)');

  fileImport(
    importCommand,
    'hf-daily',
    'Hugging Face /api/daily_papers responses: a JSON array, or JSONL of days',
  )
    .addHelpText('after', '\nExample:\n  dailypapers import hf-daily hf-daily-papers.jsonl.gz')
    .action((location: string, options: FileImportOptions) =>
      importFile({ format: 'hf-daily', location }, options),
    );

  fileImport(
    importCommand,
    'arxiv-jsonl',
    'arXiv metadata snapshot or listing JSONL (.gz read transparently)',
  )
    .option(
      '--list-on-day',
      'also put listing records on the day they were listed, so they show in daily lists',
    )
    .action((location: string, options: FileImportOptions & { listOnDay?: boolean }) =>
      importFile({ format: 'arxiv-jsonl', location, listOnDay: options.listOnDay ?? false }, options),
    );

  importCommand
    .command('arxiv-oai')
    .description('harvest arXiv over OAI-PMH; a crash or Ctrl-C resumes where it stopped on the next run')
    .option('--set <set>', 'arXiv set, e.g. cs, math, physics:hep-th (default: all of arXiv)')
    .option('--from <day>', 'first datestamp, YYYY-MM-DD', day)
    .option('--until <day>', 'last datestamp, YYYY-MM-DD', day)
    .option('--base-url <url>', 'OAI-PMH endpoint', ARXIV_OAI_URL)
    .option('--restart', 'ignore a saved resumption token and start the list over')
    .addHelpText('after', '\nExample:\n  dailypapers import arxiv-oai --set cs --from 2026-11-01')
    .action(harvestArxivOai);

  importCommand
    .command('arxiv-api <ids...>')
    .description('fetch papers by arXiv id or URL from the arXiv API')
    .option('--base-url <url>', 'arXiv API host', ARXIV_API_URL)
    .action(async (ids: string[], options: { baseUrl: string }) => {
      const { papers, notFound } = await fetchArxivPapers(ids, { baseUrl: options.baseUrl });
      const result = await withStore((store) => store.papers.writeBatch(papers));
      process.stderr.write(
        `${number.format(result.inserted)} new, ${number.format(result.updated)} updated, ` +
          `${number.format(result.unchanged)} unchanged\n`,
      );
      if (notFound.length > 0) {
        process.stderr.write(`not found on arXiv: ${notFound.join(', ')}\n`);
        process.exitCode = 1;
      }
    });
}
