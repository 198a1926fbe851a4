import {
  type DigestFrequency,
  type DigestTopics,
  hasTopics,
  type Subscription,
  type SubscriptionStatus,
} from '../domain/subscription.ts';
import type { DigestRun, DigestSend, DigestSendStatus, DueSubscription } from './digests.ts';
import type { SubscriptionCount } from './subscriptions.ts';

/** A subscriptions row. */
export interface SubscriptionRow {
  id: number;
  email: string;
  frequency: DigestFrequency;
  topics: string;
  status: SubscriptionStatus;
  member_id: number | null;
  bounce_reason: string | null;
  created_at: string;
  updated_at: string;
  confirmed_at: string | null;
}

/** A digest_sends row. */
export interface SendRow {
  subscription_id: number;
  period: string;
  status: DigestSendStatus;
  paper_ids: string;
  message_id: string | null;
  attempts: number;
  last_error: string | null;
  updated_at: string;
}

/** A digest_runs row. */
export interface RunRow {
  id: number;
  period: string;
  status: DigestRun['status'];
  started_at: string;
  finished_at: string | null;
  sent: number;
  empty: number;
  rejected: number;
  deferred: number;
  note: string | null;
}

/** A subscription with its period's digest_sends row, if any, as `send_` columns. */
export const DUE_SELECT = `
  SELECT s.*, d.status AS send_status, d.paper_ids AS send_paper_ids, d.message_id AS send_message_id,
         d.attempts AS send_attempts, d.last_error AS send_last_error, d.updated_at AS send_updated_at
  FROM subscriptions s`;

export type DueRow = SubscriptionRow & {
  send_status: DigestSendStatus | null;
  send_paper_ids: string | null;
  send_message_id: string | null;
  send_attempts: number | null;
  send_last_error: string | null;
  send_updated_at: string | null;
};

/** A subscription counted by status, frequency and whether it has topics. */
export interface CountRow {
  status: SubscriptionStatus;
  frequency: DigestFrequency;
  topical: number;
  count: number;
}

/** The `topical` column: 1 when the subscription follows any topic. */
export const topicalFlag = (topics: DigestTopics): number => (hasTopics(topics) ? 1 : 0);

/** A digest's error as the send log and the bounce reason keep it. */
export const recordedError = (error: string): string => error.slice(0, 1000);

export const toSubscription = (row: SubscriptionRow): Subscription => ({
  id: row.id,
  email: row.email,
  frequency: row.frequency,
  topics: JSON.parse(row.topics) as DigestTopics,
  status: row.status,
  memberId: row.member_id,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  confirmedAt: row.confirmed_at,
  bounceReason: row.bounce_reason,
});

export const toSend = (row: SendRow): DigestSend => ({
  subscriptionId: row.subscription_id,
  period: row.period,
  status: row.status,
  paperIds: JSON.parse(row.paper_ids) as string[],
  messageId: row.message_id,
  attempts: row.attempts,
  lastError: row.last_error,
  updatedAt: row.updated_at,
});

export const toRun = (row: RunRow): DigestRun => ({
  id: row.id,
  period: row.period,
  status: row.status,
  startedAt: row.started_at,
  finishedAt: row.finished_at,
  sent: row.sent,
  empty: row.empty,
  rejected: row.rejected,
  deferred: row.deferred,
  note: row.note,
});

export const toDueSubscription = (row: DueRow, period: string): DueSubscription => ({
  subscription: toSubscription(row),
  claim:
    row.send_status === null
      ? null
      : toSend({
          subscription_id: row.id,
          period,
          status: row.send_status,
          paper_ids: row.send_paper_ids ?? '[]',
          message_id: row.send_message_id,
          attempts: row.send_attempts ?? 0,
          last_error: row.send_last_error,
          updated_at: row.send_updated_at ?? '',
        }),
});

export const toSubscriptionCount = (row: CountRow): SubscriptionCount => ({
  status: row.status,
  frequency: row.frequency,
  topical: row.topical === 1,
  count: row.count,
});

/** The paper ids of digest_sends rows, by subscription. */
export function sentPaperIdsBySubscription(
  rows: Iterable<{ subscription_id: number; paper_ids: string }>,
): Map<number, Set<string>> {
  const bySubscription = new Map<number, Set<string>>();
  for (const row of rows) {
    let ids = bySubscription.get(row.subscription_id);
    if (!ids) {
      ids = new Set();
      bySubscription.set(row.subscription_id, ids);
    }
    for (const id of JSON.parse(row.paper_ids) as string[]) ids.add(id);
  }
  return bySubscription;
}
