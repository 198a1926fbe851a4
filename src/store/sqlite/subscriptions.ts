import type Database from 'better-sqlite3';
import type { Subscription } from '../../domain/subscription.ts';
import { DuplicateError, NotFoundError } from '../store.ts';
import {
  type CountRow,
  type SubscriptionRow,
  topicalFlag,
  toSubscription,
  toSubscriptionCount,
} from '../subscription-rows.ts';
import type {
  NewSubscription,
  SubscriptionChange,
  SubscriptionCount,
  SubscriptionStore,
} from '../subscriptions.ts';
import type { Write } from './busy-retry.ts';

/** Digest subscriptions on SQLite. */
export class SqliteSubscriptions implements SubscriptionStore {
  private readonly statements;

  constructor(
    db: Database.Database,
    private readonly write: Write,
  ) {
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
    };
  }

  async createSubscription(subscription: NewSubscription, now: string): Promise<Subscription> {
    return this.write(() => this.insert(subscription, now));
  }

  private insert(subscription: NewSubscription, now: string): Subscription {
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

  async getSubscription(id: number): Promise<Subscription | null> {
    const row = this.statements.byId.get(id);
    return row ? toSubscription(row) : null;
  }

  async findSubscriptionByEmail(email: string): Promise<Subscription | null> {
    const row = this.statements.byEmail.get(email);
    return row ? toSubscription(row) : null;
  }

  async updateSubscription(id: number, change: SubscriptionChange, now: string): Promise<Subscription> {
    const row = await this.write(() =>
      this.statements.update.get({
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
      }),
    );
    if (!row) throw new NotFoundError(`subscription ${id}`);
    return toSubscription(row);
  }

  async countSubscriptions(): Promise<SubscriptionCount[]> {
    return this.statements.counts.all().map(toSubscriptionCount);
  }
}
