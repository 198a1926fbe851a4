import type { Subscription } from '../../domain/subscription.ts';
import { DuplicateError, NotFoundError } from '../store.ts';
import * as Rows from '../subscription-rows.ts';
import type * as Subscriptions from '../subscriptions.ts';
import { SqliteRepository } from './repository.ts';

/** Digest subscriptions on SQLite. */
export class SqliteSubscriptions extends SqliteRepository implements Subscriptions.SubscriptionStore {
  private readonly statements = {
    insert: this.db.prepare<
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
      Rows.SubscriptionRow
    >(
      `INSERT INTO subscriptions (email, frequency, topics, topical, member_id, created_at, updated_at)
         VALUES (@email, @frequency, @topics, @topical, @memberId, @now, @now) RETURNING *`,
    ),
    byId: this.db.prepare<[number], Rows.SubscriptionRow>('SELECT * FROM subscriptions WHERE id = ?'),
    byEmail: this.db.prepare<[string], Rows.SubscriptionRow>('SELECT * FROM subscriptions WHERE email = ?'),
    update: this.db.prepare<
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
      Rows.SubscriptionRow
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
    counts: this.db.prepare<[], Rows.CountRow>(
      `SELECT status, frequency, topical, COUNT(*) AS count FROM subscriptions
         GROUP BY status, frequency, topical ORDER BY status, frequency, topical`,
    ),
  };

  async createSubscription(subscription: Subscriptions.NewSubscription, now: string): Promise<Subscription> {
    return this.write(() => this.insert(subscription, now));
  }

  private insert(subscription: Subscriptions.NewSubscription, now: string): Subscription {
    try {
      return Rows.toSubscription(
        this.statements.insert.get({
          email: subscription.email,
          frequency: subscription.frequency,
          topics: JSON.stringify(subscription.topics),
          topical: Rows.topicalFlag(subscription.topics),
          memberId: subscription.memberId,
          now,
        }) as Rows.SubscriptionRow,
      );
    } catch (error) {
      if ((error as Error).message.includes('UNIQUE constraint failed: subscriptions.email'))
        throw new DuplicateError('email');
      throw error;
    }
  }

  async getSubscription(id: number): Promise<Subscription | null> {
    const row = this.statements.byId.get(id);
    return row ? Rows.toSubscription(row) : null;
  }

  async findSubscriptionByEmail(email: string): Promise<Subscription | null> {
    const row = this.statements.byEmail.get(email);
    return row ? Rows.toSubscription(row) : null;
  }

  async updateSubscription(
    id: number,
    change: Subscriptions.SubscriptionChange,
    now: string,
  ): Promise<Subscription> {
    const row = await this.write(() =>
      this.statements.update.get({
        id,
        frequency: change.frequency ?? null,
        topics: change.topics ? JSON.stringify(change.topics) : null,
        topical: change.topics ? Rows.topicalFlag(change.topics) : null,
        status: change.status ?? null,
        setMember: change.memberId !== undefined ? 1 : 0,
        memberId: change.memberId ?? null,
        setBounce: change.bounceReason !== undefined ? 1 : 0,
        bounceReason: change.bounceReason ?? null,
        now,
      }),
    );
    if (!row) throw new NotFoundError(`subscription ${id}`);
    return Rows.toSubscription(row);
  }

  async countSubscriptions(): Promise<Subscriptions.SubscriptionCount[]> {
    return this.statements.counts.all().map(Rows.toSubscriptionCount);
  }
}
