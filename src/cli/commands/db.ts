import type { Command } from 'commander';
import { ConfigError, parseDatabaseUrl } from '../../config.ts';
import { copySqliteToPostgres, type TableCount } from '../../store/copy-to-postgres.ts';
import { createProgress, type ProgressReporter } from '../progress.ts';
import { vectorIndexBars } from '../vector-index-progress.ts';

function printCounts(counts: TableCount[]): boolean {
  const width = Math.max(...counts.map((count) => count.table.length), 5);
  const number = new Intl.NumberFormat('en-US');
  process.stdout.write(`${'table'.padEnd(width)}  ${'SQLite'.padStart(12)}  ${'PostgreSQL'.padStart(12)}\n`);
  let allEqual = true;
  for (const { table, source, target } of counts) {
    const mark = source === target ? '' : '  ← differs';
    if (source !== target) allEqual = false;
    process.stdout.write(
      `${table.padEnd(width)}  ${number.format(source).padStart(12)}  ${number.format(target).padStart(12)}${mark}\n`,
    );
  }
  return allEqual;
}

export function registerDbCommands(program: Command): void {
  const db = program.command('db').description('move a site between databases');
  db.command('copy')
    .description(
      'copy a whole site (papers, members, sessions, votes, comments, subscriptions, send log, vectors, settings) from SQLite into PostgreSQL, in one transaction; safe to re-run',
    )
    .requiredOption('--from <url>', 'the SQLite database: sqlite:PATH or a file path')
    .requiredOption('--to <url>', 'the PostgreSQL database: postgres://USER:PASSWORD@HOST:PORT/DATABASE')
    .addHelpText(
      'after',
      '\nExample:\n  dailypapers db copy --from sqlite:./data/dailypapers.db --to postgres://dailypapers@localhost/dailypapers\n\nStop the site first; the counts of both databases are printed at the end and must match.\n',
    )
    .action(async (options: { from: string; to: string }) => {
      const from = parseDatabaseUrl(options.from);
      const to = parseDatabaseUrl(options.to);
      if (from.kind !== 'sqlite') throw new ConfigError('--from: give a SQLite database (sqlite:PATH)');
      if (to.kind !== 'postgres') throw new ConfigError('--to: give a PostgreSQL URL (postgres://…)');
      let bar: ProgressReporter | undefined;
      const started = Date.now();
      const vectors = vectorIndexBars(() =>
        bar?.stop(`rows copied in ${((Date.now() - started) / 1000).toFixed(1)} s`),
      );
      const counts = await copySqliteToPostgres(
        from.path,
        to.url,
        {
          start(total) {
            bar = createProgress({ label: 'copying', total, noun: 'rows' });
          },
          update(copied) {
            bar?.update(copied, copied);
          },
          vectors: vectors.progress,
        },
        { pgvector: process.env.PGVECTOR !== 'off' },
      );
      vectors.end(() => bar?.stop());
      if (!printCounts(counts)) {
        throw new ConfigError(
          'the PostgreSQL database holds rows the SQLite one does not (copy into an empty database)',
        );
      }
      process.stdout.write('copied: every table has the same number of rows in both databases\n');
    });
}
