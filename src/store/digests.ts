import type { DigestFrequency, Subscription } from '../domain/subscription.ts';

/** pending: claimed for sending (or deferred after a temporary failure); empty: nothing new to send. */
export type DigestSendStatus = 'pending' | 'sent' | 'rejected' | 'empty';

/** One row of the send log, unique per (subscription, period): the guard against sending twice. */
export interface DigestSend {
  subscriptionId: number;
  period: string;
  status: DigestSendStatus;
  paperIds: string[];
  messageId: string | null;
  attempts: number;
  lastError: string | null;
  updatedAt: string;
}

/** Which digest: a subscription's for one period (the send log has one row for each). */
export interface DigestSendKey {
  subscriptionId: number;
  period: string;
}

/** A digest claimed for sending: its papers and Message-ID are fixed before the first attempt. */
export interface DigestClaim {
  subscriptionId: number;
  period: string;
  status: 'pending' | 'empty';
  paperIds: string[];
  messageId: string | null;
}

export type DigestOutcome =
  | { status: 'sent' }
  | { status: 'rejected'; error: string }
  | { status: 'pending'; error: string };

/** A page of the subscriptions of `frequency` due for `period`'s digest: up to `limit` with ids after `afterId`. */
export interface DuePage {
  frequency: DigestFrequency;
  period: string;
  afterId: number;
  limit: number;
}

/** A subscription due for a period's digest, with its unfinished claim when an earlier run left one. */
export interface DueSubscription {
  subscription: Subscription;
  claim: DigestSend | null;
}

export interface DigestRunCounts {
  sent: number;
  empty: number;
  rejected: number;
  deferred: number;
}

export interface DigestRun extends DigestRunCounts {
  id: number;
  period: string;
  status: 'running' | 'finished' | 'failed';
  startedAt: string;
  finishedAt: string | null;
  note: string | null;
}

/** The digest send log (the guard against sending twice) and the log of digest runs. */
export interface DigestStore {
  /** Active subscriptions of a frequency with id > afterId that have no send-log row for `period` or a pending one. */
  dueSubscriptions(page: DuePage): Promise<DueSubscription[]>;
  /** Papers each subscription was sent (or is being sent) in digests logged since `since` (ISO). */
  sentPaperIds(subscriptionIds: number[], since: string): Promise<Map<number, Set<string>>>;
  /** Writes claims in one transaction; a (subscription, period) already logged is left as it is. */
  claimDigests(claims: DigestClaim[], now: string): Promise<void>;
  /** Records an attempt's outcome; 'rejected' also marks the subscription bounced, in the same transaction. */
  recordDigestOutcome(send: DigestSendKey, outcome: DigestOutcome, now: string): Promise<void>;
  getDigestSend(subscriptionId: number, period: string): Promise<DigestSend | null>;

  startDigestRun(period: string, now: string): Promise<number>;
  finishDigestRun(
    id: number,
    result: DigestRunCounts & { status: 'finished' | 'failed'; note: string | null },
    now: string,
  ): Promise<void>;
  listDigestRuns(limit: number): Promise<DigestRun[]>;
}
