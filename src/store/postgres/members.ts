import type pg from 'pg';
import type { Member } from '../../domain/member.ts';
import { type MemberRow, rateLimitResult, toMember, toMemberForLogin } from '../member-rows.ts';
import { DuplicateError, type NewMember, type RateLimitResult } from '../store.ts';
import { toNumber } from './sql.ts';

/** SQLSTATE unique_violation, and which of our unique indexes it names. */
const duplicateField = (error: unknown): 'username' | 'email' | null => {
  const { code, constraint } = error as { code?: string; constraint?: string };
  if (code !== '23505') return null;
  if (constraint === 'users_username_lower') return 'username';
  if (constraint === 'users_email_lower') return 'email';
  return null;
};

/** Members, their sessions and rate-limit counters. */
export class MemberQueries {
  constructor(private readonly pool: pg.Pool) {}

  /** `db`: a transaction's client, when the insert belongs to a larger transaction. */
  async create(member: NewMember, db: pg.Pool | pg.PoolClient = this.pool): Promise<Member> {
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

  async get(id: number): Promise<Member | null> {
    const { rows } = await this.pool.query<MemberRow>('SELECT * FROM users WHERE id = $1', [id]);
    return rows[0] ? toMember(rows[0]) : null;
  }

  async findForLogin(login: string): Promise<(Member & { passwordHash: string }) | null> {
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

  async count(): Promise<number> {
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

  async sessionMember(tokenHash: string, now: string): Promise<Member | null> {
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
}
