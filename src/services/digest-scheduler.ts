/**
 * Digests from inside `dailypapers serve`: every day at DIGEST_TIME in DIGEST_TIME_ZONE, the daily digest on
 * weekdays and the weekly one on Mondays. On start it catches up with today's (and this week's) digests when their
 * time has passed, which is safe because the send log never sends a period twice. A run that stopped early (mail
 * server down) is tried again with growing pauses.
 */
import type { DigestConfig } from '../config.ts';
import { digestsDue, nextDigestTime, nextTimeOfDay } from '../domain/digest-period.ts';
import type { DigestFrequency } from '../domain/subscription.ts';
import { type DigestRunSummary, sendDigests } from './digests.ts';
import { JobBusyError } from './job-lock.ts';
import type { MailDeps } from './subscriptions.ts';

export interface DigestScheduler {
  stop(): Promise<void>;
}

const RETRY_MINUTES = [5, 15, 30, 60];
const MAX_TIMER_MS = 2 ** 31 - 1;

/** One digest run; its summary, or null when it failed (logged either way). */
async function runOne(
  deps: MailDeps,
  run: { frequency: DigestFrequency; day: string; signal: AbortSignal; from: string },
  log: (line: string) => void,
): Promise<DigestRunSummary | null> {
  try {
    const summary = await sendDigests(deps, run);
    if (summary.sent + summary.rejected + summary.deferred > 0 || summary.stopped) {
      log(
        `digest ${summary.period}: ${summary.sent} sent, ${summary.empty} with nothing new, ${summary.rejected} rejected, ${summary.deferred} deferred${summary.note ? ` (${summary.note})` : ''}`,
      );
    }
    return summary;
  } catch (error) {
    if (error instanceof JobBusyError) log(`digest ${run.frequency}: ${error.message}`);
    else log(`digest ${run.frequency} failed: ${(error as Error).stack ?? error}`);
    return null;
  }
}

export function startDigestScheduler(
  deps: MailDeps,
  config: DigestConfig,
  options: {
    from: string;
    log?: (line: string) => void;
    now?: () => Date;
  },
): DigestScheduler {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const now = options.now ?? (() => new Date());
  const controller = new AbortController();
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();
  let failures = 0;

  const schedule = (delayMs: number) => {
    if (controller.signal.aborted) return;
    timer = setTimeout(tick, Math.min(Math.max(delayMs, 0), MAX_TIMER_MS));
    timer.unref();
  };

  const tick = () => {
    running = (async () => {
      let incomplete = false;
      for (const { frequency, day } of digestsDue(now(), config.time, config.timeZone)) {
        if (controller.signal.aborted) return;
        const summary = await runOne(
          deps,
          { frequency, day, signal: controller.signal, from: options.from },
          log,
        );
        if (
          !summary ||
          summary.stopped === 'server-unavailable' ||
          summary.stopped === 'fatal' ||
          summary.deferred > 0
        )
          incomplete = true;
      }
      const next = nextTimeOfDay(now(), config.time, config.timeZone).getTime() - now().getTime();
      if (incomplete) {
        const retryMs = (RETRY_MINUTES[Math.min(failures, RETRY_MINUTES.length - 1)] ?? 60) * 60_000;
        failures++;
        schedule(Math.min(retryMs, next));
      } else {
        failures = 0;
        schedule(next);
      }
    })();
  };

  log(
    `digests: sent at ${config.time} ${config.timeZone} (daily on weekdays, weekly on Mondays); next at ${nextDigestTime(now(), config.time, config.timeZone).toISOString()}`,
  );
  schedule(0);

  return {
    async stop() {
      controller.abort();
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
