/**
 * Sending one period's digests.
 *
 * Never twice: each digest is claimed in the send log, keyed by (subscription, period), with its papers and
 * Message-ID fixed, before the first attempt; it is marked sent as soon as the server accepts it.
 * Never lost: a run that dies (crash, kill, SMTP outage) leaves unsent digests claimed as pending or not claimed
 * at all, and the next run sends exactly those, the same papers under the same Message-ID. The one window left
 * is a process killed between the server's "250 OK" and the log write (milliseconds); the next run then sends
 * that one again with the same Message-ID, which mail clients treat as the same message.
 *
 * Temporary failures (4xx, lost connections) are retried with exponential backoff; an address whose digest is
 * still failing is left pending for the next run; many in a row mean the server is down and the run stops.
 * Permanent rejections (5xx for the recipient or the message) mark the address bounced: it is not mailed again.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { type DigestPeriod, digestPeriod } from '../domain/digest-period.ts';
import { DIGEST_SIZE, pickUnsent, SENT_MEMORY_DAYS } from '../domain/digest-selection.ts';
import type { Paper } from '../domain/paper.ts';
import type { DigestFrequency, Subscription } from '../domain/subscription.ts';
import { DigestComposer, type DigestLinks } from '../mail/digest-mail.ts';
import { classifyMailError, type MailError, mailDomain, type RawMail } from '../mail/mailer.ts';
import type { DigestClaim, DigestRunCounts, Store } from '../store/store.ts';
import { DigestRanker, keywordTopicMatcher, loadDigestPool, type TopicMatcher } from './digest-content.ts';
import type { MailLinks } from './mail-links.ts';
import type { MailDeps } from './subscriptions.ts';

export interface RetryPolicy {
  /** Attempts per digest within one run. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Digests in a row still failing after their attempts: the server is down, stop the run. */
  stopAfterDeferred: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 4,
  baseDelayMs: 2_000,
  maxDelayMs: 60_000,
  stopAfterDeferred: 10,
};

export interface DigestProgress {
  /** Subscriptions looked at so far. */
  processed: number;
  sent: number;
}

export interface SendDigestsOptions {
  frequency: DigestFrequency;
  /** The local day the digest is for (sent on). */
  day: string;
  /** Renders every digest, sends and records nothing. */
  dryRun?: boolean;
  /** Stops taking new digests; the ones in flight finish. */
  signal?: AbortSignal;
  retry?: Partial<RetryPolicy>;
  onProgress?: (progress: DigestProgress) => void;
  pageSize?: number;
  /** How many digests are in flight at once (default: what the mailer says). */
  concurrency?: number;
  topicMatcher?: TopicMatcher;
  /** The From address (MAIL_FROM); its domain is the Message-IDs'. */
  from: string;
}

export interface DigestRunSummary extends DigestRunCounts {
  period: string;
  runId: number | null;
  dryRun: boolean;
  /** Why the run stopped before the end, if it did; what is left goes out with the next run. */
  stopped: null | 'interrupted' | 'server-unavailable' | 'fatal';
  note: string | null;
  /** Digests a dry run would have sent (dry runs leave `sent` at 0). */
  wouldSend: number;
  /** Digests claimed but not attempted because the run stopped. */
  left: number;
}

export class DigestBusyError extends Error {
  constructor(holder: string) {
    super(`another digest run holds the lock (${holder}); wait for it to finish`);
    this.name = 'DigestBusyError';
  }
}

interface Job {
  subscription: Subscription;
  paperIds: string[];
  messageId: string;
}

const LOCK_TTL_MS = 120_000;

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the run lock of a frequency; a holder that was a process on this machine that no longer exists is replaced. */
async function acquireLock(
  store: Store,
  name: string,
): Promise<{ owner: string; release: () => Promise<void> }> {
  const owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const expires = () => new Date(Date.now() + LOCK_TTL_MS).toISOString();
  let result = await store.tryLock(name, owner, expires(), new Date().toISOString());
  if (!result.acquired && result.holder) {
    const [host, pid] = result.holder.split(':');
    if (host === hostname() && pid && !processAlive(Number(pid))) {
      result = await store.tryLock(name, owner, expires(), new Date().toISOString(), result.holder);
    }
  }
  if (!result.acquired) throw new DigestBusyError(result.holder ?? 'unknown');
  const renew = setInterval(() => {
    store.tryLock(name, owner, expires(), new Date().toISOString()).catch(() => {});
  }, LOCK_TTL_MS / 4);
  renew.unref();
  return {
    owner,
    release: async () => {
      clearInterval(renew);
      await store.releaseLock(name, owner);
    },
  };
}

/** Headers every digest carries: one-click unsubscribe (RFC 8058) and a list id. */
export function digestHeaders(unsubscribeUrl: string, frequency: DigestFrequency, domain: string) {
  return {
    'List-Unsubscribe': `<${unsubscribeUrl}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    'List-Id': `Dailypapers ${frequency} digest <${frequency}.digest.${domain}>`,
  };
}

/** The links of one subscriber's digest. */
export function digestLinks(links: MailLinks, subscriptionId: number, period: string): DigestLinks {
  return {
    view: links.viewUrl(subscriptionId, period),
    manage: links.manageUrl(subscriptionId),
    unsubscribe: links.unsubscribeUrl(subscriptionId),
  };
}

/** The message of one digest: rendered with this subscriber's links, ready to send. */
export function composeDigest(
  composer: DigestComposer,
  links: MailLinks,
  period: DigestPeriod,
  subscription: Subscription,
  papers: Paper[],
  envelope: { from: string; messageId: string; domain: string },
): RawMail {
  const personal = digestLinks(links, subscription.id, period.key);
  const raw = composer.message(
    { topics: subscription.topics, papers, links: personal },
    {
      from: envelope.from,
      to: subscription.email,
      messageId: envelope.messageId,
      date: new Date(),
      headers: {
        ...digestHeaders(personal.unsubscribe, period.frequency, envelope.domain),
        'X-Dailypapers-Period': period.key,
      },
    },
  );
  return { to: subscription.email, raw, messageId: envelope.messageId };
}

/** Sends (or, with dryRun, renders) the digests of one period to every confirmed subscriber still due. */
export async function sendDigests(deps: MailDeps, options: SendDigestsOptions): Promise<DigestRunSummary> {
  const { store, mailer, links } = deps;
  const period = digestPeriod(options.frequency, options.day);
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  const dryRun = options.dryRun ?? false;
  const pageSize = options.pageSize ?? 500;
  const concurrency = Math.max(1, options.concurrency ?? mailer.concurrency);
  const domain = mailDomain(options.from);
  const composer = new DigestComposer(links.baseUrl, period);
  // Unique per run; a digest resent by a later run keeps the Message-ID it was claimed with.
  const runNonce = randomBytes(6).toString('hex');
  const counts: DigestRunCounts = { sent: 0, empty: 0, rejected: 0, deferred: 0 };
  let wouldSend = 0;
  let processed = 0;
  let left = 0;
  let stopped: DigestRunSummary['stopped'] = null;
  let fatal: MailError | null = null;
  let deferredInARow = 0;

  const nothingDue = (await store.dueSubscriptions(options.frequency, period.key, 0, 1)).length === 0;
  if (nothingDue) {
    return { period: period.key, runId: null, dryRun, ...counts, stopped, note: null, wouldSend, left };
  }
  const lock = dryRun ? null : await acquireLock(store, `digest:${options.frequency}`);
  let runId: number | null = null;
  try {
    if (!dryRun) {
      // Runs of this frequency still marked running died without finishing: say so on the admin page.
      for (const run of await store.listDigestRuns(50)) {
        if (run.status === 'running' && run.period.startsWith(`${options.frequency}:`)) {
          await store.finishDigestRun(
            run.id,
            { ...run, status: 'failed', note: 'interrupted (the process ended); resumed by a later run' },
            new Date().toISOString(),
          );
        }
      }
      runId = await store.startDigestRun(period.key, new Date().toISOString());
    }
    const pool = await loadDigestPool(store, period);
    const ranker = new DigestRanker(store, pool, options.topicMatcher ?? keywordTopicMatcher);
    const paperCache = new Map(pool.papers);

    const papersOf = async (ids: string[]): Promise<Paper[]> => {
      const missing = ids.filter((id) => !paperCache.has(id));
      if (missing.length) for (const paper of await store.getPapers(missing)) paperCache.set(paper.id, paper);
      return ids.map((id) => paperCache.get(id)).filter((paper): paper is Paper => paper !== undefined);
    };

    const shouldStop = () => stopped !== null || (options.signal?.aborted ?? false);

    async function* jobs(): AsyncGenerator<Job> {
      let afterId = 0;
      const since = new Date(Date.now() - SENT_MEMORY_DAYS * 86_400_000).toISOString();
      while (!shouldStop()) {
        const due = await store.dueSubscriptions(options.frequency, period.key, afterId, pageSize);
        if (due.length === 0) return;
        afterId = due[due.length - 1]?.subscription.id ?? afterId;
        const history = await store.sentPaperIds(
          due.filter((entry) => !entry.claim).map((entry) => entry.subscription.id),
          since,
        );
        const claims: DigestClaim[] = [];
        const page: Job[] = [];
        for (const { subscription, claim } of due) {
          if (claim) {
            // Left by an earlier run: the same papers under the same Message-ID.
            page.push({ subscription, paperIds: claim.paperIds, messageId: claim.messageId ?? '' });
            continue;
          }
          const ranking = await ranker.ranking(subscription.topics);
          const paperIds = pickUnsent(ranking, history.get(subscription.id) ?? new Set(), DIGEST_SIZE);
          if (paperIds.length === 0) {
            claims.push({
              subscriptionId: subscription.id,
              period: period.key,
              status: 'empty',
              paperIds,
              messageId: null,
            });
            counts.empty++;
            continue;
          }
          const messageId = `<${period.key.replace(':', '.')}.${subscription.id}.${runNonce}@${domain}>`;
          claims.push({
            subscriptionId: subscription.id,
            period: period.key,
            status: 'pending',
            paperIds,
            messageId,
          });
          page.push({ subscription, paperIds, messageId });
        }
        if (!dryRun) await store.claimDigests(claims, new Date().toISOString());
        processed += due.length - page.length;
        for (const [index, job] of page.entries()) {
          if (shouldStop()) {
            left += page.length - index;
            return;
          }
          yield job;
        }
      }
    }

    const deliver = async (job: Job): Promise<void> => {
      const mail = composeDigest(composer, links, period, job.subscription, await papersOf(job.paperIds), {
        from: options.from,
        messageId: job.messageId,
        domain,
      });
      if (dryRun) {
        wouldSend++;
        return;
      }
      const id = job.subscription.id;
      for (let attempt = 1; ; attempt++) {
        try {
          await mailer.send(mail);
          await store.recordDigestOutcome(id, period.key, { status: 'sent' }, new Date().toISOString());
          counts.sent++;
          deferredInARow = 0;
          return;
        } catch (error) {
          const failure = classifyMailError(error);
          const now = new Date().toISOString();
          if (failure.kind === 'rejected') {
            await store.recordDigestOutcome(
              id,
              period.key,
              { status: 'rejected', error: failure.message },
              now,
            );
            counts.rejected++;
            return;
          }
          if (failure.kind === 'fatal') {
            await store.recordDigestOutcome(
              id,
              period.key,
              { status: 'pending', error: failure.message },
              now,
            );
            fatal = failure;
            stopped = 'fatal';
            return;
          }
          if (attempt >= retry.attempts || shouldStop()) {
            await store.recordDigestOutcome(
              id,
              period.key,
              { status: 'pending', error: failure.message },
              now,
            );
            counts.deferred++;
            deferredInARow++;
            if (deferredInARow >= retry.stopAfterDeferred && stopped === null) stopped = 'server-unavailable';
            return;
          }
          const delay = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));
          await sleep(delay * (0.75 + Math.random() * 0.5), options.signal);
        }
      }
    };

    const iterator = jobs();
    const worker = async () => {
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        await deliver(next.value);
        processed++;
        options.onProgress?.({ processed, sent: counts.sent + wouldSend });
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    // Workers change these; TypeScript cannot see that through the closures.
    let reason = stopped as DigestRunSummary['stopped'];
    if (reason === null && options.signal?.aborted) reason = 'interrupted';
    stopped = reason;
    const failure = fatal as MailError | null;
    const note =
      reason === 'fatal'
        ? `stopped: the mail server refused the run (${failure?.message ?? 'unknown error'}); fix the setup and run again`
        : reason === 'server-unavailable'
          ? `stopped: ${retry.stopAfterDeferred} digests in a row could not be sent (server unavailable); the rest go out with the next run`
          : reason === 'interrupted'
            ? 'interrupted; the rest go out with the next run'
            : counts.deferred > 0
              ? `${counts.deferred} digests failed for now; they go out with the next run`
              : null;
    if (runId !== null) {
      await store.finishDigestRun(
        runId,
        { ...counts, status: reason === null ? 'finished' : 'failed', note },
        new Date().toISOString(),
      );
    }
    return { period: period.key, runId, dryRun, ...counts, stopped: reason, note, wouldSend, left };
  } catch (error) {
    if (runId !== null) {
      await store.finishDigestRun(
        runId,
        { ...counts, status: 'failed', note: `error: ${(error as Error).message}` },
        new Date().toISOString(),
      );
    }
    throw error;
  } finally {
    await lock?.release();
  }
}
