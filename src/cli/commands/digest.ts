import { type Command, InvalidArgumentError, Option } from 'commander';
import { loadConfig } from '../../config.ts';
import { isValidDay } from '../../domain/dates.ts';
import { isSendDay, localDay } from '../../domain/digest-period.ts';
import type { DigestFrequency } from '../../domain/subscription.ts';
import { createMailer, describeMailMode } from '../../mail/mailer.ts';
import { sendDigests } from '../../services/digests.ts';
import { MailLinks } from '../../services/mail-links.ts';
import { openStore } from '../../store/open-store.ts';
import { createProgress } from '../progress.ts';
import { abortOnInterrupt } from './import.ts';

const number = new Intl.NumberFormat('en-US');

function day(value: string): string {
  if (!isValidDay(value)) throw new InvalidArgumentError('must be a date as YYYY-MM-DD');
  return value;
}

/** Exit status when some digests are left for the next run (sysexits EX_TEMPFAIL). */
export const EXIT_TRY_AGAIN = 75;

export function registerDigestCommands(program: Command): void {
  const digest = program.command('digest').description('email digests of trending papers');
  digest
    .command('send')
    .description(
      'send the digests of one period to every confirmed subscriber still due (safe to run again: nobody gets a period twice)',
    )
    .addOption(
      new Option('--period <period>', 'which digests').choices(['daily', 'weekly']).makeOptionMandatory(),
    )
    .option('--date <day>', 'the day the digest is for (default: today in DIGEST_TIME_ZONE)', day)
    .option('--dry-run', 'render every digest and count them; send and record nothing')
    .action(async (options: { period: DigestFrequency; date?: string; dryRun?: boolean }) => {
      const config = loadConfig();
      const date = options.date ?? localDay(new Date(), config.digest.timeZone);
      if (!isSendDay(options.period, date)) {
        process.stderr.write(
          options.period === 'daily'
            ? `${date} is a weekend day: daily digests go out Monday to Friday (Monday's covers the weekend); nothing sent\n`
            : `${date} is not a Monday: weekly digests go out on Mondays; sending last week's to whoever is still due\n`,
        );
        if (options.period === 'daily') return;
      }
      const store = await openStore(config.database);
      const mailer = createMailer(config.mail);
      const interrupt = abortOnInterrupt();
      // Every active subscriber of the frequency: an upper bound of who is due (some may be done already).
      const active = (await store.subscriptions.countSubscriptions())
        .filter((count) => count.status === 'active' && count.frequency === options.period)
        .reduce((sum, count) => sum + count.count, 0);
      const progress = createProgress({
        label: `digest ${options.period} ${date}`,
        noun: 'subscribers',
        total: Math.max(active, 1),
      });
      const started = Date.now();
      try {
        process.stderr.write(`mail: ${describeMailMode(mailer.mode)}\n`);
        const links = await MailLinks.forSite(store, config);
        const summary = await sendDigests(
          { store, mailer, links },
          {
            frequency: options.period,
            day: date,
            dryRun: options.dryRun,
            signal: interrupt.signal,
            from: config.mail.from,
            onProgress: (p) => progress.update(p.processed, p.processed),
          },
        );
        const seconds = (Date.now() - started) / 1000;
        const done = summary.dryRun ? summary.wouldSend : summary.sent;
        progress.stop(
          `${summary.period}${summary.dryRun ? ' (dry run)' : ''}: ${number.format(done)} ${summary.dryRun ? 'would be sent' : 'sent'}, ` +
            `${number.format(summary.empty)} with nothing new, ${number.format(summary.rejected)} rejected, ` +
            `${number.format(summary.deferred)} deferred in ${seconds.toFixed(1)} s ` +
            `(${number.format(Math.round(done / Math.max(seconds, 0.001)))}/s, peak memory ${Math.round(process.resourceUsage().maxRSS / 1024)} MB)` +
            (summary.runId === null && !summary.dryRun && done + summary.empty === 0
              ? '; nobody was due'
              : ''),
        );
        if (summary.note) process.stderr.write(`${summary.note}\n`);
        if (summary.stopped || summary.deferred > 0) process.exitCode = EXIT_TRY_AGAIN;
      } finally {
        interrupt.dispose();
        await mailer.close();
        await store.close();
      }
    });
}
