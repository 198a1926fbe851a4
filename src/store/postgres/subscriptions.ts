import type pg from 'pg';
import type { Subscription } from '../../domain/subscription.ts';
import { DuplicateError, NotFoundError } from '../store.ts';
import * as Rows from '../subscription-rows.ts';
import type * as Subscriptions from '../subscriptions.ts';

const isDuplicateEmail = (error: unknown): boolean => {
  const { code, constraint } = error as { code?: string; constraint?: string };
  return code === '23505' && constraint === 'subscriptions_email_lower';
};

/** Digest subscriptions on PostgreSQL. */
export class PostgresSubscriptions implements Subscriptions.SubscriptionStore {
  constructor(private readonly pool: pg.Pool) {}

  async createSubscription(subscription: Subscriptions.NewSubscription, now: string): Promise<Subscription> {
    try {
      const { rows } = await this.pool.query<Rows.SubscriptionRow>(
        `INSERT INTO subscriptions (email, frequency, topics, topical, member_id, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING *`,
        [
          subscription.email,
          subscription.frequency,
          JSON.stringify(subscription.topics),
          Rows.topicalFlag(subscription.topics),
          subscription.memberId,
          now,
        ],
      );
      return Rows.toSubscription(rows[0] as Rows.SubscriptionRow);
    } catch (error) {
      if (isDuplicateEmail(error)) throw new DuplicateError('email');
      throw error;
    }
  }

  async getSubscription(id: number): Promise<Subscription | null> {
    const { rows } = await this.pool.query<Rows.SubscriptionRow>(
      'SELECT * FROM subscriptions WHERE id = $1',
      [id],
    );
    return rows[0] ? Rows.toSubscription(rows[0]) : null;
  }

  async findSubscriptionByEmail(email: string): Promise<Subscription | null> {
    const { rows } = await this.pool.query<Rows.SubscriptionRow>(
      'SELECT * FROM subscriptions WHERE lower(email) = lower($1)',
      [email],
    );
    return rows[0] ? Rows.toSubscription(rows[0]) : null;
  }

  async updateSubscription(
    id: number,
    change: Subscriptions.SubscriptionChange,
    now: string,
  ): Promise<Subscription> {
    // Every SET expression reads the row as it was, so confirmed_at compares against the old status.
    const { rows } = await this.pool.query<Rows.SubscriptionRow>(
      `UPDATE subscriptions SET
         frequency = COALESCE($2::text, frequency),
         topics = COALESCE($3::text, topics),
         topical = COALESCE($4::integer, topical),
         confirmed_at = CASE WHEN $5::text = 'active' AND status <> 'active' THEN $10::text ELSE confirmed_at END,
         status = COALESCE($5::text, status),
         member_id = CASE WHEN $6::boolean THEN $7::integer ELSE member_id END,
         bounce_reason = CASE WHEN $8::boolean THEN $9::text ELSE bounce_reason END,
         updated_at = $10::text
       WHERE id = $1 RETURNING *`,
      [
        id,
        change.frequency ?? null,
        change.topics ? JSON.stringify(change.topics) : null,
        change.topics ? Rows.topicalFlag(change.topics) : null,
        change.status ?? null,
        change.memberId !== undefined,
        change.memberId ?? null,
        change.bounceReason !== undefined,
        change.bounceReason ?? null,
        now,
      ],
    );
    if (!rows[0]) throw new NotFoundError(`subscription ${id}`);
    return Rows.toSubscription(rows[0]);
  }

  async countSubscriptions(): Promise<Subscriptions.SubscriptionCount[]> {
    const { rows } = await this.pool.query<Rows.CountRow>(
      // Byte order, like SQLite's, whatever the database's locale.
      `SELECT status, frequency, topical, COUNT(*)::int AS count FROM subscriptions
       GROUP BY status, frequency, topical
       ORDER BY status COLLATE "C", frequency COLLATE "C", topical`,
    );
    return rows.map(Rows.toSubscriptionCount);
  }
}
