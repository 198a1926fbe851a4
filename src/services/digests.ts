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
 *
 * A run plans (a page of due subscribers at a time, claimed in the send log), renders, delivers and tallies
 * (digest-tally.ts). Each worker tallies its own digests, added up at the end; what they share is when the run
 * stops (digest-workers.ts): a fatal error, or too many deferred in a row across workers.
 */
import { randomBytes } from 'node:crypto';
import { type DigestPeriod, digestPeriod } from '../domain/digest-period.ts';
import { DIGEST_SIZE, pickUnsent, SENT_MEMORY_DAYS } from '../domain/digest-selection.ts';
import type { Paper } from '../domain/paper.ts';
import type { DigestFrequency, Subscription } from '../domain/subscription.ts';
import { DigestComposer } from '../mail/digest-mail.ts';
import { classifyMailError, mailDomain, type RawMail } from '../mail/mailer.ts';
import type { DigestClaim, DigestOutcome, DigestRunCounts, DueSubscription } from '../store/digests.ts';
import type { Store } from '../store/store.ts';
import {
  type DigestPool,
  DigestRanker,
  keywordTopicMatcher,
  loadDigestPool,
  type TopicMatcher,
} from './digest-content.ts';
import { composeDigest } from './digest-message.ts';
import {
  combineTallies,
  NO_DIGESTS,
  type Outcome,
  runNote,
  type StopReason,
  type Tally,
} from './digest-tally.ts';
import { type PlanStep, progressReporter, RunStop, runWorker } from './digest-workers.ts';
import { personalDigestRanking } from './for-you-digest.ts';
import { acquireJobLock } from './job-lock.ts';
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
  stopped: StopReason;
  note: string | null;
  /** Digests a dry run would have sent (dry runs leave `sent` at 0). */
  wouldSend: number;
  /** Digests claimed but not attempted because the run stopped. */
  left: number;
}

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

/** What one run works with, fixed before it starts. */
interface RunContext extends MailDeps {
  options: SendDigestsOptions;
  period: DigestPeriod;
  retry: RetryPolicy;
  dryRun: boolean;
  pageSize: number;
  concurrency: number;
  /** The Message-IDs' domain. */
  domain: string;
  composer: DigestComposer;
  /** Unique per run; a digest resent by a later run keeps the Message-ID it was claimed with. */
  nonce: string;
}

function prepareRun(deps: MailDeps, options: SendDigestsOptions): RunContext {
  const period = digestPeriod(options.frequency, options.day);
  return {
    ...deps,
    options,
    period,
    retry: { ...DEFAULT_RETRY, ...options.retry },
    dryRun: options.dryRun ?? false,
    pageSize: options.pageSize ?? 500,
    concurrency: Math.max(1, options.concurrency ?? deps.mailer.concurrency),
    domain: mailDomain(options.from),
    composer: new DigestComposer(deps.links.baseUrl, period),
    nonce: randomBytes(6).toString('hex'),
  };
}

/** One digest to send: its subscriber, papers and Message-ID. */
interface Job {
  subscription: Subscription;
  paperIds: string[];
  messageId: string;
}

/** Sends (or, with dryRun, renders) the digests of one period to every confirmed subscriber still due. */
export async function sendDigests(deps: MailDeps, options: SendDigestsOptions): Promise<DigestRunSummary> {
  const run = prepareRun(deps, options);
  const nothingDue =
    (
      await run.store.digests.dueSubscriptions({
        frequency: options.frequency,
        period: run.period.key,
        afterId: 0,
        limit: 1,
      })
    ).length === 0;
  if (nothingDue) return summarize(run, null, NO_DIGESTS);
  const lock = run.dryRun
    ? null
    : await acquireJobLock(run.store, `digest:${options.frequency}`, 'digest run');
  try {
    const runId = run.dryRun ? null : await startRunLog(run);
    const { tally, failure } = await sendAll(run);
    const summary = summarize(run, runId, tally);
    if (runId !== null) {
      const status = failure || summary.stopped !== null ? 'failed' : 'finished';
      const note = failure ? `error: ${(failure.error as Error).message}` : summary.note;
      await run.store.digests.finishDigestRun(
        runId,
        { ...tally.counts, status, note },
        new Date().toISOString(),
      );
    }
    if (failure) throw failure.error;
    return summary;
  } finally {
    await lock?.release();
  }
}

/** Logs the run for the admin page, first marking runs of this frequency that died unfinished. */
async function startRunLog(run: RunContext): Promise<number> {
  for (const logged of await run.store.digests.listDigestRuns(50)) {
    if (logged.status === 'running' && logged.period.startsWith(`${run.options.frequency}:`)) {
      await run.store.digests.finishDigestRun(
        logged.id,
        { ...logged, status: 'failed', note: 'interrupted (the process ended); resumed by a later run' },
        new Date().toISOString(),
      );
    }
  }
  return run.store.digests.startDigestRun(run.period.key, new Date().toISOString());
}

/**
 * Plans, renders and delivers every due digest, `concurrency` at a time, and tallies how they went: each worker
 * its own digests, added up at the end. Returns the tally, and the error that ended the run early if one did.
 */
async function sendAll(run: RunContext): Promise<{ tally: Tally; failure: { error: unknown } | null }> {
  const stop = new RunStop(run.retry.stopAfterDeferred, run.options.signal);
  const stopping = () => stop.stopping;
  let pool: DigestPool;
  try {
    pool = await loadDigestPool(run.store, run.period);
  } catch (error) {
    return { tally: NO_DIGESTS, failure: { error } };
  }
  const ranker = new DigestRanker(run.store, pool, run.options.topicMatcher ?? keywordTopicMatcher);
  const papersOf = paperLoader(run.store, pool);
  const steps = planDigests(run, ranker, stopping);
  const progress = progressReporter(run.options.onProgress);
  const work = () => runWorker(steps, (job) => digestOutcome(run, papersOf, job, stopping), stop, progress());
  const results = await Promise.all(Array.from({ length: run.concurrency }, work));
  const tally = combineTallies(
    results.map((result) => result.tally),
    stop.final(),
  );
  return { tally, failure: results.find((result) => result.failure)?.failure ?? null };
}

/** A digest rendered, and delivered unless the run is dry. */
async function digestOutcome(
  run: RunContext,
  papersOf: (ids: string[]) => Promise<Paper[]>,
  job: Job,
  stopping: () => boolean,
): Promise<Outcome> {
  const mail = await renderDigest(run, papersOf, job);
  return run.dryRun ? { status: 'rendered' } : deliverDigest(run, job, mail, stopping);
}

/** The due subscriptions page by page, each page's digests claimed in the send log before any goes out. */
async function* planDigests(
  run: RunContext,
  ranker: DigestRanker,
  stopping: () => boolean,
): AsyncGenerator<PlanStep<Job>> {
  let afterId = 0;
  const since = new Date(Date.now() - SENT_MEMORY_DAYS * 86_400_000).toISOString();
  while (!stopping()) {
    const { frequency } = run.options;
    const due = await run.store.digests.dueSubscriptions({
      frequency,
      period: run.period.key,
      afterId,
      limit: run.pageSize,
    });
    if (due.length === 0) return;
    afterId = due[due.length - 1]?.subscription.id ?? afterId;
    const history = await run.store.digests.sentPaperIds(
      due.filter((entry) => !entry.claim).map((entry) => entry.subscription.id),
      since,
    );
    const { claims, jobs } = await planPage(run, ranker, due, history);
    yield { kind: 'empty', count: due.length - jobs.length };
    if (!run.dryRun) await run.store.digests.claimDigests(claims, new Date().toISOString());
    for (const [index, job] of jobs.entries()) {
      if (stopping()) {
        yield { kind: 'left', count: jobs.length - index };
        return;
      }
      yield { kind: 'job', job };
    }
  }
}

/** Each due subscriber's digest: the papers it has not been sent yet, or none (an 'empty' claim). */
async function planPage(
  run: RunContext,
  ranker: DigestRanker,
  due: DueSubscription[],
  history: Map<number, Set<string>>,
): Promise<{ claims: DigestClaim[]; jobs: Job[] }> {
  const claims: DigestClaim[] = [];
  const jobs: Job[] = [];
  const personal = await run.store.library.personalDigests(due.map((entry) => entry.subscription.id));
  for (const { subscription, claim } of due) {
    if (claim) {
      // Left by an earlier run: the same papers under the same Message-ID.
      jobs.push({ subscription, paperIds: claim.paperIds, messageId: claim.messageId ?? '' });
      continue;
    }
    const ranking =
      personal.has(subscription.id) && subscription.memberId !== null
        ? await personalDigestRanking(run.store, subscription.memberId, run.period)
        : await ranker.ranking(subscription.topics);
    const paperIds = pickUnsent(ranking, history.get(subscription.id) ?? new Set(), DIGEST_SIZE);
    const claimed = { subscriptionId: subscription.id, period: run.period.key, paperIds };
    if (paperIds.length === 0) {
      claims.push({ ...claimed, status: 'empty', messageId: null });
      continue;
    }
    const messageId = `<${run.period.key.replace(':', '.')}.${subscription.id}.${run.nonce}@${run.domain}>`;
    claims.push({ ...claimed, status: 'pending', messageId });
    jobs.push({ subscription, paperIds, messageId });
  }
  return { claims, jobs };
}

/** Papers by id: the pool's, and any other a digest left by an earlier run names, fetched once. */
function paperLoader(store: Store, pool: DigestPool): (ids: string[]) => Promise<Paper[]> {
  const cache = new Map(pool.papers);
  return async (ids) => {
    const missing = ids.filter((id) => !cache.has(id));
    if (missing.length) for (const paper of await store.papers.getPapers(missing)) cache.set(paper.id, paper);
    return ids.map((id) => cache.get(id)).filter((paper): paper is Paper => paper !== undefined);
  };
}

async function renderDigest(
  run: RunContext,
  papersOf: (ids: string[]) => Promise<Paper[]>,
  job: Job,
): Promise<RawMail> {
  return composeDigest(run.composer, run.links, run.period, job.subscription, await papersOf(job.paperIds), {
    from: run.options.from,
    messageId: job.messageId,
    domain: run.domain,
  });
}

/**
 * Sends one digest, retrying temporary failures with backoff, and records the outcome in the send log. Stops
 * retrying when the run is stopping.
 */
async function deliverDigest(
  run: RunContext,
  job: Job,
  mail: RawMail,
  stopping: () => boolean,
): Promise<Outcome> {
  const record = (outcome: DigestOutcome) =>
    run.store.digests.recordDigestOutcome(
      { subscriptionId: job.subscription.id, period: run.period.key },
      outcome,
      new Date().toISOString(),
    );
  for (let attempt = 1; ; attempt++) {
    try {
      await run.mailer.send(mail);
      await record({ status: 'sent' });
      return { status: 'sent' };
    } catch (error) {
      const failure = classifyMailError(error);
      if (failure.kind === 'rejected') {
        await record({ status: 'rejected', error: failure.message });
        return { status: 'rejected' };
      }
      if (failure.kind === 'fatal' || attempt >= run.retry.attempts || stopping()) {
        await record({ status: 'pending', error: failure.message });
        return failure.kind === 'fatal' ? { status: 'fatal', error: failure } : { status: 'deferred' };
      }
      const delay = Math.min(run.retry.maxDelayMs, run.retry.baseDelayMs * 2 ** (attempt - 1));
      await sleep(delay * (0.75 + Math.random() * 0.5), run.options.signal);
    }
  }
}

function summarize(run: RunContext, runId: number | null, tally: Tally): DigestRunSummary {
  const { counts, stopped, wouldSend, left } = tally;
  const note = runNote(tally, run.retry.stopAfterDeferred);
  return { period: run.period.key, runId, dryRun: run.dryRun, ...counts, stopped, note, wouldSend, left };
}
