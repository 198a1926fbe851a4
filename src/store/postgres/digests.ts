import type pg from 'pg';
import type * as Digests from '../digests.ts';
import * as Rows from '../subscription-rows.ts';
import { inTransaction } from './transaction.ts';

/** The digest send log and digest runs on PostgreSQL. */
export class PostgresDigests implements Digests.DigestStore {
  constructor(private readonly pool: pg.Pool) {}

  async dueSubscriptions(page: Digests.DuePage): Promise<Digests.DueSubscription[]> {
    const { frequency, period, afterId, limit } = page;
    const { rows } = await this.pool.query<Rows.DueRow>(
      `${Rows.DUE_SELECT}
       LEFT JOIN digest_sends d ON d.subscription_id = s.id AND d.period = $2
       WHERE s.status = 'active' AND s.frequency = $1 AND s.id > $3
         AND (d.status IS NULL OR d.status = 'pending')
       ORDER BY s.id LIMIT $4`,
      [frequency, period, afterId, limit],
    );
    return rows.map((row) => Rows.toDueSubscription(row, period));
  }

  async sentPaperIds(subscriptionIds: number[], since: string): Promise<Map<number, Set<string>>> {
    if (subscriptionIds.length === 0) return new Map();
    const { rows } = await this.pool.query<{ subscription_id: number; paper_ids: string }>(
      `SELECT subscription_id, paper_ids FROM digest_sends
       WHERE subscription_id = ANY($1::integer[]) AND created_at >= $2 AND status IN ('sent', 'pending')`,
      [subscriptionIds, since],
    );
    return Rows.sentPaperIdsBySubscription(rows);
  }

  async claimDigests(claims: Digests.DigestClaim[], now: string): Promise<void> {
    if (claims.length === 0) return;
    // One statement, so all claims are written or none; a (subscription, period) already logged (or claimed
    // twice in this batch) keeps its first row. WITH ORDINALITY keeps the batch's order.
    await this.pool.query(
      `INSERT INTO digest_sends (subscription_id, period, status, paper_ids, message_id, created_at, updated_at)
       SELECT c.subscription_id, c.period, c.status, c.paper_ids, c.message_id, $6, $6
       FROM unnest($1::integer[], $2::text[], $3::text[], $4::text[], $5::text[])
            WITH ORDINALITY AS c (subscription_id, period, status, paper_ids, message_id, n)
       ORDER BY c.n
       ON CONFLICT (subscription_id, period) DO NOTHING`,
      [
        claims.map((claim) => claim.subscriptionId),
        claims.map((claim) => claim.period),
        claims.map((claim) => claim.status),
        claims.map((claim) => JSON.stringify(claim.paperIds)),
        claims.map((claim) => claim.messageId),
        now,
      ],
    );
  }

  async recordDigestOutcome(send: Digests.DigestSendKey, outcome: Digests.DigestOutcome, now: string) {
    const { subscriptionId, period } = send;
    await inTransaction(this.pool, async (client) => {
      await client.query(
        `UPDATE digest_sends SET status = $3, attempts = attempts + 1, last_error = $4, updated_at = $5
         WHERE subscription_id = $1 AND period = $2 AND status = 'pending'`,
        [
          subscriptionId,
          period,
          outcome.status,
          outcome.status === 'sent' ? null : Rows.recordedError(outcome.error),
          now,
        ],
      );
      if (outcome.status === 'rejected') {
        await client.query(
          `UPDATE subscriptions SET status = 'bounced', bounce_reason = $2, updated_at = $3
           WHERE id = $1 AND status = 'active'`,
          [subscriptionId, Rows.recordedError(outcome.error), now],
        );
      }
    });
  }

  async getDigestSend(subscriptionId: number, period: string): Promise<Digests.DigestSend | null> {
    const { rows } = await this.pool.query<Rows.SendRow>(
      'SELECT * FROM digest_sends WHERE subscription_id = $1 AND period = $2',
      [subscriptionId, period],
    );
    return rows[0] ? Rows.toSend(rows[0]) : null;
  }

  async startDigestRun(period: string, now: string): Promise<number> {
    const { rows } = await this.pool.query<{ id: number }>(
      `INSERT INTO digest_runs (period, status, started_at) VALUES ($1, 'running', $2) RETURNING id`,
      [period, now],
    );
    return (rows[0] as { id: number }).id;
  }

  async finishDigestRun(
    id: number,
    result: Digests.DigestRunCounts & { status: 'finished' | 'failed'; note: string | null },
    now: string,
  ): Promise<void> {
    await this.pool.query(
      `UPDATE digest_runs SET status = $2, finished_at = $3, sent = $4, empty = $5, rejected = $6, deferred = $7,
         note = $8 WHERE id = $1`,
      [id, result.status, now, result.sent, result.empty, result.rejected, result.deferred, result.note],
    );
  }

  async listDigestRuns(limit: number): Promise<Digests.DigestRun[]> {
    const { rows } = await this.pool.query<Rows.RunRow>(
      'SELECT * FROM digest_runs ORDER BY id DESC LIMIT $1',
      [limit],
    );
    return rows.map(Rows.toRun);
  }
}
