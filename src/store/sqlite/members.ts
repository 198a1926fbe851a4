import type Database from 'better-sqlite3';
import type { Member } from '../../domain/member.ts';
import { type MemberRow, rateLimitResult, toMember, toMemberForLogin } from '../member-rows.ts';
import { DuplicateError, type NewMember, type RateLimitResult } from '../store.ts';

/** Members, their sessions and rate-limit counters. */
export class MemberQueries {
  private readonly statements;

  constructor(db: Database.Database) {
    this.statements = {
      insert: db.prepare<[string, string, string, string, string | null], MemberRow>(
        `INSERT INTO users (username, email, password_hash, role, email_verified_at) VALUES (?, ?, ?, ?, ?)
         RETURNING *`,
      ),
      byId: db.prepare<[number], MemberRow>('SELECT * FROM users WHERE id = ?'),
      byLogin: db.prepare<[string, string], MemberRow>('SELECT * FROM users WHERE username = ? OR email = ?'),
      setPassword: db.prepare('UPDATE users SET password_hash = ? WHERE id = ?'),
      count: db.prepare<[], number>('SELECT COUNT(*) FROM users').pluck(),
      insertSession: db.prepare('INSERT INTO sessions (token_hash, user_id, expires_at) VALUES (?, ?, ?)'),
      sessionMember: db.prepare<[string, string], MemberRow>(
        'SELECT u.* FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_at > ?',
      ),
      deleteSession: db.prepare('DELETE FROM sessions WHERE token_hash = ?'),
      deleteOtherSessions: db.prepare('DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?'),
      deleteExpiredSessions: db.prepare('DELETE FROM sessions WHERE expires_at <= ?'),
      hit: db.prepare<
        [{ key: string; now: number; window: number }],
        { window_started_at: number; hits: number }
      >(
        `INSERT INTO rate_limits (key, window_started_at, hits) VALUES (@key, @now, 1)
         ON CONFLICT (key) DO UPDATE SET
           hits = CASE WHEN window_started_at <= @now - @window THEN 1 ELSE hits + 1 END,
           window_started_at = CASE WHEN window_started_at <= @now - @window THEN @now ELSE window_started_at END
         RETURNING window_started_at, hits`,
      ),
      purgeRateLimits: db.prepare('DELETE FROM rate_limits WHERE window_started_at < ?'),
    };
  }

  create(member: NewMember): Member {
    try {
      return toMember(
        this.statements.insert.get(
          member.username,
          member.email,
          member.passwordHash,
          member.role,
          member.emailVerified ? new Date().toISOString() : null,
        ) as MemberRow,
      );
    } catch (error) {
      const message = (error as Error).message;
      if (message.includes('UNIQUE constraint failed: users.username')) throw new DuplicateError('username');
      if (message.includes('UNIQUE constraint failed: users.email')) throw new DuplicateError('email');
      throw error;
    }
  }

  get(id: number): Member | null {
    const row = this.statements.byId.get(id);
    return row ? toMember(row) : null;
  }

  findForLogin(login: string): (Member & { passwordHash: string }) | null {
    const row = this.statements.byLogin.get(login, login);
    return row ? toMemberForLogin(row) : null;
  }

  setPasswordHash(memberId: number, hash: string): void {
    this.statements.setPassword.run(hash, memberId);
  }

  count(): number {
    return this.statements.count.get() ?? 0;
  }

  createSession(tokenHash: string, memberId: number, expiresAt: string): void {
    this.statements.deleteExpiredSessions.run(new Date().toISOString());
    this.statements.insertSession.run(tokenHash, memberId, expiresAt);
  }

  sessionMember(tokenHash: string, now: string): Member | null {
    const row = this.statements.sessionMember.get(tokenHash, now);
    return row ? toMember(row) : null;
  }

  deleteSession(tokenHash: string): void {
    this.statements.deleteSession.run(tokenHash);
  }

  deleteOtherSessions(memberId: number, keepTokenHash: string): void {
    this.statements.deleteOtherSessions.run(memberId, keepTokenHash);
  }

  hitRateLimit(key: string, limit: number, windowSeconds: number, now: Date): RateLimitResult {
    const nowSeconds = Math.floor(now.getTime() / 1000);
    const row = this.statements.hit.get({ key, now: nowSeconds, window: windowSeconds });
    const counter = row && { windowStartedAt: row.window_started_at, hits: row.hits };
    return rateLimitResult(counter, limit, windowSeconds, nowSeconds);
  }

  purgeRateLimits(before: Date): number {
    return this.statements.purgeRateLimits.run(Math.floor(before.getTime() / 1000)).changes;
  }
}
