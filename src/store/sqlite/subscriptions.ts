import type Database from 'better-sqlite3';
import type { DigestFrequency, Subscription } from '../../domain/subscription.ts';
import {
  type DigestClaim,
  type DigestOutcome,
  type DigestRun,
  type DigestRunCounts,
  type DigestSend,
  type DueSubscription,
  DuplicateError,
  type NewSubscription,
  NotFoundError,
  type SubscriptionChange,
  type SubscriptionCount,
} from '../store.ts';
import {
  type CountRow,
  DUE_SELECT,
  type DueRow,
  type RunRow,
  recordedError,
  type SendRow,
  type SubscriptionRow,
  sentPaperIdsBySubscription,
  toDueSubscription,
  topicalFlag,
  toRun,
  toSend,
  toSubscription,
  toSubscriptionCount,
} from '../subscription-rows.ts';

/** Subscriptions, the digest send log and digest runs. */
export class SubscriptionQueries {
  private readonly statements;

  constructor(private readonly db: Database.Database) {
    this.statements = {
      insert: db.prepare<
        [
          {
            email: string;
            frequency: string;
            topics: string;
            topical: number;
            memberId: number | null;
            now: string;
          },
        ],
        SubscriptionRow
      >(
        `INSERT INTO subscriptions (email, frequency, topics, topical, member_id, created_at, updated_at)
         VALUES (@email, @frequency, @topics, @topical, @memberId, @now, @now) RETURNING *`,
      ),
      byId: db.prepare<[number], SubscriptionRow>('SELECT * FROM subscriptions WHERE id = ?'),
      byEmail: db.prepare<[string], SubscriptionRow>('SELECT * FROM subscriptions WHERE email = ?'),
      update: db.prepare<
        [
          {
            id: number;
            frequency: string | null;
            topics: string | null;
            topical: number | null;
            status: string | null;
            setMember: number;
            memberId: number | null;
            setBounce: number;
            bounceReason: string | null;
            now: string;
          },
        ],
        SubscriptionRow
      >(
        `UPDATE subscriptions SET
           frequency = COALESCE(@frequency, frequency),
           topics = COALESCE(@topics, topics),
           topical = COALESCE(@topical, topical),
           confirmed_at = CASE WHEN @status = 'active' AND status <> 'active' THEN @now ELSE confirmed_at END,
           status = COALESCE(@status, status),
           member_id = CASE WHEN @setMember THEN @memberId ELSE member_id END,
           bounce_reason = CASE WHEN @setBounce THEN @bounceReason ELSE bounce_reason END,
           updated_at = @now
         WHERE id = @id RETURNING *`,
      ),
      counts: db.prepare<[], CountRow>(
        `SELECT status, frequency, topical, COUNT(*) AS count FROM subscriptions
         GROUP BY status, frequency, topical ORDER BY status, frequency, topical`,
      ),
      due: db.prepare<[{ frequency: string; period: string; afterId: number; limit: number }], DueRow>(
        `${DUE_SELECT}
         LEFT JOIN digest_sends d ON d.subscription_id = s.id AND d.period = @period
         WHERE s.status = 'active' AND s.frequency = @frequency AND s.id > @afterId
           AND (d.status IS NULL OR d.status = 'pending')
         ORDER BY s.id LIMIT @limit`,
      ),
      sentSince: db.prepare<[string, string], { subscription_id: number; paper_ids: string }>(
        `SELECT subscription_id, paper_ids FROM digest_sends
         WHERE subscription_id IN (SELECT value FROM json_each(?)) AND created_at >= ?
           AND status IN ('sent', 'pending')`,
      ),
      claim: db.prepare<
        [
          {
            subscriptionId: number;
            period: string;
            status: string;
            paperIds: string;
            messageId: string | null;
            now: string;
          },
        ]
      >(
        `INSERT OR IGNORE INTO digest_sends
           (subscription_id, period, status, paper_ids, message_id, created_at, updated_at)
         VALUES (@subscriptionId, @period, @status, @paperIds, @messageId, @now, @now)`,
      ),
      outcome: db.prepare<
        [{ subscriptionId: number; period: string; status: string; error: string | null; now: string }]
      >(
        `UPDATE digest_sends SET status = @status, attempts = attempts + 1, last_error = @error, updated_at = @now
         WHERE subscription_id = @subscriptionId AND period = @period AND status = 'pending'`,
      ),
      bounce: db.prepare<[{ id: number; reason: string; now: string }]>(
        `UPDATE subscriptions SET status = 'bounced', bounce_reason = @reason, updated_at = @now
         WHERE id = @id AND status = 'active'`,
      ),
      send: db.prepare<[number, string], SendRow>(
        'SELECT * FROM digest_sends WHERE subscription_id = ? AND period = ?',
      ),
      startRun: db.prepare<[string, string], { id: number }>(
        `INSERT INTO digest_runs (period, status, started_at) VALUES (?, 'running', ?) RETURNING id`,
      ),
      finishRun: db.prepare(
        `UPDATE digest_runs SET status = @status, finished_at = @now, sent = @sent, empty = @empty,
           rejected = @rejected, deferred = @deferred, note = @note WHERE id = @id`,
      ),
      runs: db.prepare<[number], RunRow>('SELECT * FROM digest_runs ORDER BY id DESC LIMIT ?'),
    };
  }

  create(subscription: NewSubscription, now: string): Subscription {
    try {
      return toSubscription(
        this.statements.insert.get({
          email: subscription.email,
          frequency: subscription.frequency,
          topics: JSON.stringify(subscription.topics),
          topical: topicalFlag(subscription.topics),
          memberId: subscription.memberId,
          now,
        }) as SubscriptionRow,
      );
    } catch (error) {
      if ((error as Error).message.includes('UNIQUE constraint failed: subscriptions.email'))
        throw new DuplicateError('email');
      throw error;
    }
  }

  get(id: number): Subscription | null {
    const row = this.statements.byId.get(id);
    return row ? toSubscription(row) : null;
  }

  findByEmail(email: string): Subscription | null {
    const row = this.statements.byEmail.get(email);
    return row ? toSubscription(row) : null;
  }

  update(id: number, change: SubscriptionChange, now: string): Subscription {
    const row = this.statements.update.get({
      id,
      frequency: change.frequency ?? null,
      topics: change.topics ? JSON.stringify(change.topics) : null,
      topical: change.topics ? topicalFlag(change.topics) : null,
      status: change.status ?? null,
      setMember: change.memberId !== undefined ? 1 : 0,
      memberId: change.memberId ?? null,
      setBounce: change.bounceReason !== undefined ? 1 : 0,
      bounceReason: change.bounceReason ?? null,
      now,
    });
    if (!row) throw new NotFoundError(`subscription ${id}`);
    return toSubscription(row);
  }

  counts(): SubscriptionCount[] {
    return this.statements.counts.all().map(toSubscriptionCount);
  }

  due(frequency: DigestFrequency, period: string, afterId: number, limit: number): DueSubscription[] {
    return this.statements.due
      .all({ frequency, period, afterId, limit })
      .map((row) => toDueSubscription(row, period));
  }

  sentPaperIds(subscriptionIds: number[], since: string): Map<number, Set<string>> {
    if (subscriptionIds.length === 0) return new Map();
    return sentPaperIdsBySubscription(this.statements.sentSince.all(JSON.stringify(subscriptionIds), since));
  }

  claim(claims: DigestClaim[], now: string): void {
    this.db
      .transaction(() => {
        for (const claim of claims) {
          this.statements.claim.run({
            subscriptionId: claim.subscriptionId,
            period: claim.period,
            status: claim.status,
            paperIds: JSON.stringify(claim.paperIds),
            messageId: claim.messageId,
            now,
          });
        }
      })
      .immediate();
  }

  recordOutcome(subscriptionId: number, period: string, outcome: DigestOutcome, now: string): void {
    this.db
      .transaction(() => {
        this.statements.outcome.run({
          subscriptionId,
          period,
          status: outcome.status,
          error: outcome.status === 'sent' ? null : recordedError(outcome.error),
          now,
        });
        if (outcome.status === 'rejected') {
          this.statements.bounce.run({ id: subscriptionId, reason: recordedError(outcome.error), now });
        }
      })
      .immediate();
  }

  getSend(subscriptionId: number, period: string): DigestSend | null {
    const row = this.statements.send.get(subscriptionId, period);
    return row ? toSend(row) : null;
  }

  startRun(period: string, now: string): number {
    return (this.statements.startRun.get(period, now) as { id: number }).id;
  }

  finishRun(
    id: number,
    result: DigestRunCounts & { status: 'finished' | 'failed'; note: string | null },
    now: string,
  ): void {
    this.statements.finishRun.run({ id, now, ...result });
  }

  runs(limit: number): DigestRun[] {
    return this.statements.runs.all(limit).map(toRun);
  }
}
