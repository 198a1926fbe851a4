import type pg from 'pg';
import type { Member } from '../../domain/member.ts';
import { type ExportRows, toMemberExport } from '../account-rows.ts';
import { type MemberRow, rateLimitResult, toMember, toMemberForLogin } from '../member-rows.ts';
import type { MemberExport, MemberStore, NewMember, RateLimitResult } from '../members.ts';
import type { RateLimitHit } from '../rate-limits.ts';
import { DuplicateError } from '../store.ts';
import { toNumber } from './sql.ts';
import { inTransaction } from './transaction.ts';

/** SQLSTATE unique_violation, and which of our unique indexes it names. */
const duplicateField = (error: unknown): 'username' | 'email' | null => {
  const { code, constraint } = error as { code?: string; constraint?: string };
  if (code !== '23505') return null;
  if (constraint === 'users_username_lower') return 'username';
  if (constraint === 'users_email_lower') return 'email';
  return null;
};

const SETUP_KEY = 'admin-setup-token';

/** Members, their sessions, accounts (verification, the first admin's setup, deletion, export) and rate limits on PostgreSQL. */
export class PostgresMembers implements MemberStore {
  constructor(private readonly pool: pg.Pool) {}

  /** `db`: a transaction's client, when the insert belongs to a larger transaction. */
  async createMember(member: NewMember, db: pg.Pool | pg.PoolClient = this.pool): Promise<Member> {
    try {
      const { rows } = await db.query<MemberRow>(
        `INSERT INTO users (username, email, password_hash, role, email_verified_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING *`,
        [
          member.username,
          member.email,
          member.passwordHash,
          member.role,
          member.emailVerified ? new Date().toISOString() : null,
        ],
      );
      return toMember(rows[0] as MemberRow);
    } catch (error) {
      const field = duplicateField(error);
      if (field) throw new DuplicateError(field);
      throw error;
    }
  }

  async getMember(id: number): Promise<Member | null> {
    const { rows } = await this.pool.query<MemberRow>('SELECT * FROM users WHERE id = $1', [id]);
    return rows[0] ? toMember(rows[0]) : null;
  }

  async findMemberForLogin(login: string): Promise<(Member & { passwordHash: string }) | null> {
    // Two index lookups (lower(username), lower(email)); a username match wins over an email match.
    const { rows } = await this.pool.query<MemberRow>(
      `SELECT * FROM (
         SELECT *, 0 AS rank FROM users WHERE lower(username) = lower($1)
         UNION ALL SELECT *, 1 AS rank FROM users WHERE lower(email) = lower($1)
       ) matches ORDER BY rank, id LIMIT 1`,
      [login],
    );
    return rows[0] ? toMemberForLogin(rows[0]) : null;
  }

  async setPasswordHash(memberId: number, hash: string): Promise<void> {
    await this.pool.query('UPDATE users SET password_hash = $1 WHERE id = $2', [hash, memberId]);
  }

  async countMembers(): Promise<number> {
    const { rows } = await this.pool.query<{ count: string }>('SELECT COUNT(*) AS count FROM users');
    return toNumber(rows[0]?.count);
  }

  async createSession(
    tokenHash: string,
    memberId: number,
    expiresAt: string,
    db: pg.Pool | pg.PoolClient = this.pool,
  ): Promise<void> {
    await db.query('DELETE FROM sessions WHERE expires_at <= $1', [new Date().toISOString()]);
    await db.query('INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, $3)', [
      tokenHash,
      memberId,
      expiresAt,
    ]);
  }

  async getSessionMember(tokenHash: string, now: string): Promise<Member | null> {
    const { rows } = await this.pool.query<MemberRow>(
      `SELECT u.* FROM sessions s JOIN users u ON u.id = s.user_id
       WHERE s.token_hash = $1 AND s.expires_at > $2`,
      [tokenHash, now],
    );
    return rows[0] ? toMember(rows[0]) : null;
  }

  async deleteSession(tokenHash: string, db: pg.Pool | pg.PoolClient = this.pool): Promise<void> {
    await db.query('DELETE FROM sessions WHERE token_hash = $1', [tokenHash]);
  }

  async deleteOtherSessions(memberId: number, keepTokenHash: string): Promise<void> {
    await this.pool.query('DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2', [
      memberId,
      keepTokenHash,
    ]);
  }

  /** Counts `hits` in order within the caller's transaction, stopping at the first refused (or undefined). */
  async countHits(
    hits: readonly RateLimitHit[],
    now: Date,
    client: pg.PoolClient,
  ): Promise<RateLimitResult | undefined> {
    for (const { key, limit, windowSeconds } of hits) {
      const result = await this.hitRateLimit(key, limit, windowSeconds, now, client);
      if (!result.allowed) return result;
    }
    return undefined;
  }

  async hitRateLimit(
    key: string,
    limit: number,
    windowSeconds: number,
    now: Date,
    db: pg.Pool | pg.PoolClient = this.pool,
  ): Promise<RateLimitResult> {
    const nowSeconds = Math.floor(now.getTime() / 1000);
    // One statement: the row lock taken by ON CONFLICT DO UPDATE serializes concurrent hits on a key, and the
    // SET expressions read the locked (latest) row, so no hit is lost across connections or processes.
    const { rows } = await db.query<{ window_started_at: string; hits: number }>(
      `INSERT INTO rate_limits AS r (key, window_started_at, hits) VALUES ($1, $2::bigint, 1)
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN r.window_started_at <= $2::bigint - $3::bigint THEN 1 ELSE r.hits + 1 END,
         window_started_at = CASE WHEN r.window_started_at <= $2::bigint - $3::bigint
                                  THEN $2::bigint ELSE r.window_started_at END
       RETURNING window_started_at, hits`,
      [key, nowSeconds, windowSeconds],
    );
    const row = rows[0];
    const counter = row && { windowStartedAt: toNumber(row.window_started_at), hits: row.hits };
    return rateLimitResult(counter, limit, windowSeconds, nowSeconds);
  }

  async purgeRateLimits(before: Date): Promise<number> {
    const result = await this.pool.query('DELETE FROM rate_limits WHERE window_started_at < $1', [
      Math.floor(before.getTime() / 1000),
    ]);
    return result.rowCount ?? 0;
  }

  async verifyMemberEmail(memberId: number, email: string, now: string): Promise<boolean> {
    const result = await this.pool.query(
      `UPDATE users SET email_verified_at = $1
       WHERE id = $2 AND lower(email) = lower($3) AND email_verified_at IS NULL`,
      [now, memberId, email],
    );
    return result.rowCount === 1;
  }

  async hasAdmin(db: pg.Pool | pg.PoolClient = this.pool): Promise<boolean> {
    const { rows } = await db.query<{ found: boolean }>(
      "SELECT EXISTS (SELECT 1 FROM users WHERE role = 'admin') AS found",
    );
    return rows[0]?.found === true;
  }

  async openAdminSetup(tokenHash: string): Promise<boolean> {
    if (await this.hasAdmin()) return false;
    await this.pool.query(
      'INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      [SETUP_KEY, tokenHash],
    );
    return true;
  }

  async claimAdminSetup(tokenHash: string, member: Omit<NewMember, 'role'>): Promise<Member | null> {
    return inTransaction(this.pool, async (client) => {
      // The row lock of the DELETE makes concurrent claims wait; the others then find no row to delete.
      const taken = await client.query('DELETE FROM settings WHERE key = $1 AND value = $2', [
        SETUP_KEY,
        tokenHash,
      ]);
      if (taken.rowCount !== 1 || (await this.hasAdmin(client))) return null;
      return this.createMember({ ...member, role: 'admin' }, client);
    });
  }

  async deleteMember(memberId: number, anonymousName: string): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<MemberRow>('SELECT * FROM users WHERE id = $1 FOR UPDATE', [
        memberId,
      ]);
      const member = rows[0];
      if (!member) return;
      await client.query('DELETE FROM sessions WHERE user_id = $1', [memberId]);
      await client.query('DELETE FROM api_tokens WHERE user_id = $1', [memberId]);
      await client.query('DELETE FROM author_claims WHERE user_id = $1', [memberId]);
      await client.query('DELETE FROM subscriptions WHERE member_id = $1 OR lower(email) = lower($2)', [
        memberId,
        member.email,
      ]);
      await client.query('UPDATE daily_entries SET submitted_by_user = $1 WHERE member_id = $2', [
        anonymousName,
        memberId,
      ]);
      await client.query(
        `UPDATE users SET username = $1, email = $1 || '@deleted.invalid', password_hash = '!',
           role = 'member', email_verified_at = NULL WHERE id = $2`,
        [anonymousName, memberId],
      );
    });
  }

  async exportMember(memberId: number): Promise<MemberExport | null> {
    return inTransaction(this.pool, async (client) => {
      await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const { rows } = await client.query<MemberRow>('SELECT * FROM users WHERE id = $1', [memberId]);
      const member = rows[0];
      if (!member) return null;
      const all = async <T extends pg.QueryResultRow>(sql: string, values: unknown[]) =>
        (await client.query<T>(sql, values)).rows;
      const exportRows: ExportRows = {
        member,
        upvotes: await all('SELECT paper_id, created_at FROM votes WHERE user_id = $1 ORDER BY created_at', [
          memberId,
        ]),
        comments: await all(
          'SELECT id, paper_id, parent_id, body, created_at, hidden FROM comments WHERE user_id = $1 ORDER BY id',
          [memberId],
        ),
        submissions: await all(
          'SELECT paper_id, day, submitted_at FROM daily_entries WHERE member_id = $1 ORDER BY day, paper_id',
          [memberId],
        ),
        subscriptions: await all(
          `SELECT email, frequency, topics, status, created_at, confirmed_at FROM subscriptions
           WHERE member_id = $1 OR lower(email) = lower($2) ORDER BY id`,
          [memberId, member.email],
        ),
      };
      return toMemberExport(exportRows);
    });
  }
}
