import { type Command, InvalidArgumentError } from 'commander';
import { loadConfig } from '../../config.ts';
import { importPapers } from '../../services/import-papers.ts';
import { type ParseTask, parseInWorker } from '../../sources/parse-in-worker.ts';
import { openStore } from '../../store/open-store.ts';
import type { Store } from '../../store/store.ts';
import { createProgress } from '../progress.ts';

interface FileImportOptions {
  skipBad?: boolean;
  batchSize: number;
}

function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1)
    throw new InvalidArgumentError('must be a positive whole number');
  return parsed;
}

const number = new Intl.NumberFormat('en-US');
const megabytes = () => Math.round(process.resourceUsage().maxRSS / 1024);

export async function withStore<T>(run: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(loadConfig().database);
  try {
    return await run(store);
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

async function importFile(task: ParseTask, options: FileImportOptions): Promise<void> {
  const input = await parseInWorker(task);
  const interrupt = abortOnInterrupt();
  const progress = createProgress({
    label: `importing ${input.name}`,
    total: input.size ?? undefined,
    noun: 'papers',
  });
  try {
    const summary = await withStore((store) =>
      importPapers(store, input.items, {
        skipBad: options.skipBad,
        batchSize: options.batchSize,
        signal: interrupt.signal,
        onProgress: (p) => progress.update(input.bytesRead(), p.processed),
      }),
    );
    progress.stop(
      `${input.name}: ${number.format(summary.inserted)} new, ${number.format(summary.updated)} updated, ` +
        `${number.format(summary.unchanged)} unchanged, ${number.format(summary.bad)} bad ` +
        `(peak memory ${megabytes()} MB)`,
    );
    for (const error of summary.errors.slice(0, 20)) process.stderr.write(`  skipped: ${error.message}\n`);
    if (summary.errors.length > 20) process.stderr.write(`  … and ${summary.bad - 20} more skipped\n`);
  } catch (error) {
    progress.stop();
    throw error;
  } finally {
    interrupt.dispose();
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
    .option('--batch-size <n>', 'records written per batch', positiveInteger, 2000);
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
    .addHelpText(
      'after',
      '\nExample:\n  dailypapers import hf-daily ../shared/data/hf-daily-papers-2024-2026.jsonl.gz',
    )
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
}
