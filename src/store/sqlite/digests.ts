import type * as Digests from '../digests.ts';
import * as Rows from '../subscription-rows.ts';
import { SqliteRepository } from './repository.ts';

/** The digest send log and digest runs on SQLite. */
export class SqliteDigests extends SqliteRepository implements Digests.DigestStore {
  private readonly statements = {
    due: this.db.prepare<
      [{ frequency: string; period: string; afterId: number; limit: number }],
      Rows.DueRow
    >(
      `${Rows.DUE_SELECT}
         LEFT JOIN digest_sends d ON d.subscription_id = s.id AND d.period = @period
         WHERE s.status = 'active' AND s.frequency = @frequency AND s.id > @afterId
           AND (d.status IS NULL OR d.status = 'pending')
         ORDER BY s.id LIMIT @limit`,
    ),
    sentSince: this.db.prepare<[string, string], { subscription_id: number; paper_ids: string }>(
      `SELECT subscription_id, paper_ids FROM digest_sends
         WHERE subscription_id IN (SELECT value FROM json_each(?)) AND created_at >= ?
           AND status IN ('sent', 'pending')`,
    ),
    claim: this.db.prepare<
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
    outcome: this.db.prepare<
      [{ subscriptionId: number; period: string; status: string; error: string | null; now: string }]
    >(
      `UPDATE digest_sends SET status = @status, attempts = attempts + 1, last_error = @error, updated_at = @now
         WHERE subscription_id = @subscriptionId AND period = @period AND status = 'pending'`,
    ),
    bounce: this.db.prepare<[{ id: number; reason: string; now: string }]>(
      `UPDATE subscriptions SET status = 'bounced', bounce_reason = @reason, updated_at = @now
         WHERE id = @id AND status = 'active'`,
    ),
    send: this.db.prepare<[number, string], Rows.SendRow>(
      'SELECT * FROM digest_sends WHERE subscription_id = ? AND period = ?',
    ),
    startRun: this.db.prepare<[string, string], { id: number }>(
      `INSERT INTO digest_runs (period, status, started_at) VALUES (?, 'running', ?) RETURNING id`,
    ),
    finishRun: this.db.prepare(
      `UPDATE digest_runs SET status = @status, finished_at = @now, sent = @sent, empty = @empty,
           rejected = @rejected, deferred = @deferred, note = @note WHERE id = @id`,
    ),
    runs: this.db.prepare<[number], Rows.RunRow>('SELECT * FROM digest_runs ORDER BY id DESC LIMIT ?'),
  };

  async dueSubscriptions(page: Digests.DuePage): Promise<Digests.DueSubscription[]> {
    return this.statements.due.all(page).map((row) => Rows.toDueSubscription(row, page.period));
  }

  async sentPaperIds(subscriptionIds: number[], since: string): Promise<Map<number, Set<string>>> {
    if (subscriptionIds.length === 0) return new Map();
    return Rows.sentPaperIdsBySubscription(
      this.statements.sentSince.all(JSON.stringify(subscriptionIds), since),
    );
  }

  async claimDigests(claims: Digests.DigestClaim[], now: string): Promise<void> {
    await this.write(() =>
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
        .immediate(),
    );
  }

  async recordDigestOutcome(send: Digests.DigestSendKey, outcome: Digests.DigestOutcome, now: string) {
    const { subscriptionId, period } = send;
    await this.write(() =>
      this.db
        .transaction(() => {
          this.statements.outcome.run({
            subscriptionId,
            period,
            status: outcome.status,
            error: outcome.status === 'sent' ? null : Rows.recordedError(outcome.error),
            now,
          });
          if (outcome.status === 'rejected') {
            this.statements.bounce.run({
              id: subscriptionId,
              reason: Rows.recordedError(outcome.error),
              now,
            });
          }
        })
        .immediate(),
    );
  }

  async getDigestSend(subscriptionId: number, period: string): Promise<Digests.DigestSend | null> {
    const row = this.statements.send.get(subscriptionId, period);
    return row ? Rows.toSend(row) : null;
  }

  async startDigestRun(period: string, now: string): Promise<number> {
    return this.write(() => (this.statements.startRun.get(period, now) as { id: number }).id);
  }

  async finishDigestRun(
    id: number,
    result: Digests.DigestRunCounts & { status: 'finished' | 'failed'; note: string | null },
    now: string,
  ): Promise<void> {
    await this.write(() => this.statements.finishRun.run({ id, now, ...result }));
  }

  async listDigestRuns(limit: number): Promise<Digests.DigestRun[]> {
    return this.statements.runs.all(limit).map(Rows.toRun);
  }
}
