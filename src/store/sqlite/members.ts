import type { Member } from '../../domain/member.ts';
import { type ExportRows, toMemberExport } from '../account-rows.ts';
import { type MemberRow, rateLimitResult, toMember, toMemberForLogin } from '../member-rows.ts';
import type { MemberExport, MemberStore, NewMember, RateLimitResult } from '../members.ts';
import type { RateLimitHit } from '../rate-limits.ts';
import { DuplicateError } from '../store.ts';
import { SqliteRepository } from './repository.ts';

const SETUP_KEY = 'admin-setup-token';

/** Members, their sessions, accounts (verification, the first admin's setup, deletion, export) and rate limits on SQLite. */
export class SqliteMembers extends SqliteRepository implements MemberStore {
  private readonly statements = {
    insert: this.db.prepare<[string, string, string, string, string | null], MemberRow>(
      `INSERT INTO users (username, email, password_hash, role, email_verified_at) VALUES (?, ?, ?, ?, ?)
         RETURNING *`,
    ),
    byId: this.db.prepare<[number], MemberRow>('SELECT * FROM users WHERE id = ?'),
    byLogin: this.db.prepare<[string, string], MemberRow>(
      'SELECT * FROM users WHERE username = ? OR email = ?',
    ),
    setPassword: this.db.prepare('UPDATE users SET password_hash = ? WHERE id = ?'),
    count: this.db.prepare<[], number>('SELECT COUNT(*) FROM users').pluck(),
    insertSession: this.db.prepare('INSERT INTO sessions (token_hash, user_id, expires_at) VALUES (?, ?, ?)'),
    sessionMember: this.db.prepare<[string, string], MemberRow>(
      'SELECT u.* FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_at > ?',
    ),
    deleteSession: this.db.prepare('DELETE FROM sessions WHERE token_hash = ?'),
    deleteOtherSessions: this.db.prepare('DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?'),
    deleteExpiredSessions: this.db.prepare('DELETE FROM sessions WHERE expires_at <= ?'),
    hit: this.db.prepare<
      [{ key: string; now: number; window: number }],
      { window_started_at: number; hits: number }
    >(
      `INSERT INTO rate_limits (key, window_started_at, hits) VALUES (@key, @now, 1)
         ON CONFLICT (key) DO UPDATE SET
           hits = CASE WHEN window_started_at <= @now - @window THEN 1 ELSE hits + 1 END,
           window_started_at = CASE WHEN window_started_at <= @now - @window THEN @now ELSE window_started_at END
         RETURNING window_started_at, hits`,
    ),
    purgeRateLimits: this.db.prepare('DELETE FROM rate_limits WHERE window_started_at < ?'),
    verify: this.db.prepare(
      'UPDATE users SET email_verified_at = ? WHERE id = ? AND email = ? AND email_verified_at IS NULL',
    ),
    hasAdmin: this.db.prepare<[], number>("SELECT EXISTS (SELECT 1 FROM users WHERE role = 'admin')").pluck(),
    putSetup: this.db.prepare(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    ),
    takeSetup: this.db.prepare('DELETE FROM settings WHERE key = ? AND value = ?'),
    deleteSessions: this.db.prepare('DELETE FROM sessions WHERE user_id = ?'),
    deleteApiTokens: this.db.prepare('DELETE FROM api_tokens WHERE user_id = ?'),
    deleteAuthorClaims: this.db.prepare('DELETE FROM author_claims WHERE user_id = ?'),
    deleteSubscriptions: this.db.prepare('DELETE FROM subscriptions WHERE member_id = ? OR email = ?'),
    renameSubmissions: this.db.prepare('UPDATE daily_entries SET submitted_by_user = ? WHERE member_id = ?'),
    anonymize: this.db.prepare(
      `UPDATE users SET username = @name, email = @name || '@deleted.invalid', password_hash = '!',
           role = 'member', email_verified_at = NULL WHERE id = @id`,
    ),
    upvotes: this.db.prepare('SELECT paper_id, created_at FROM votes WHERE user_id = ? ORDER BY created_at'),
    comments: this.db.prepare(
      'SELECT id, paper_id, parent_id, body, created_at, hidden FROM comments WHERE user_id = ? ORDER BY id',
    ),
    submissions: this.db.prepare(
      'SELECT paper_id, day, submitted_at FROM daily_entries WHERE member_id = ? ORDER BY day, paper_id',
    ),
    subscriptions: this.db.prepare(
      `SELECT email, frequency, topics, status, created_at, confirmed_at FROM subscriptions
         WHERE member_id = ? OR email = ? ORDER BY id`,
    ),
  };

  async createMember(member: NewMember): Promise<Member> {
    return this.write(() => this.insert(member));
  }

  private insert(member: NewMember): Member {
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

  async getMember(id: number): Promise<Member | null> {
    const row = this.statements.byId.get(id);
    return row ? toMember(row) : null;
  }

  async findMemberForLogin(login: string): Promise<(Member & { passwordHash: string }) | null> {
    const row = this.statements.byLogin.get(login, login);
    return row ? toMemberForLogin(row) : null;
  }

  async setPasswordHash(memberId: number, passwordHash: string): Promise<void> {
    await this.write(() => this.statements.setPassword.run(passwordHash, memberId));
  }

  async countMembers(): Promise<number> {
    return this.statements.count.get() ?? 0;
  }

  async createSession(tokenHash: string, memberId: number, expiresAt: string): Promise<void> {
    await this.write(() => {
      this.statements.deleteExpiredSessions.run(new Date().toISOString());
      this.statements.insertSession.run(tokenHash, memberId, expiresAt);
    });
  }

  async getSessionMember(tokenHash: string, now: string): Promise<Member | null> {
    const row = this.statements.sessionMember.get(tokenHash, now);
    return row ? toMember(row) : null;
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.write(() => this.statements.deleteSession.run(tokenHash));
  }

  async deleteOtherSessions(memberId: number, keepTokenHash: string): Promise<void> {
    await this.write(() => this.statements.deleteOtherSessions.run(memberId, keepTokenHash));
  }

  async hitRateLimit(key: string, limit: number, windowSeconds: number, now: Date): Promise<RateLimitResult> {
    return this.write(() => this.countHit(key, limit, windowSeconds, now));
  }

  /** hitRateLimit's statement, for a transaction of the caller's (store/sqlite/rate-limits.ts). */
  countHit(key: string, limit: number, windowSeconds: number, now: Date): RateLimitResult {
    const nowSeconds = Math.floor(now.getTime() / 1000);
    const row = this.statements.hit.get({ key, now: nowSeconds, window: windowSeconds });
    const counter = row && { windowStartedAt: row.window_started_at, hits: row.hits };
    return rateLimitResult(counter, limit, windowSeconds, nowSeconds);
  }

  /**
   * Counts `hits` in order within the caller's transaction, stopping at the first refused: that refusal, or
   * undefined when all were allowed.
   */
  countHits(hits: readonly RateLimitHit[], now: Date): RateLimitResult | undefined {
    for (const { key, limit, windowSeconds } of hits) {
      const result = this.countHit(key, limit, windowSeconds, now);
      if (!result.allowed) return result;
    }
    return undefined;
  }

  /** Ends `previousTokenHash`'s session and starts one, for a transaction of the caller's (sessions.ts). */
  replaceSessionNow(
    previousTokenHash: string | undefined,
    tokenHash: string,
    memberId: number,
    expiresAt: string,
  ) {
    if (previousTokenHash) this.statements.deleteSession.run(previousTokenHash);
    this.statements.deleteExpiredSessions.run(new Date().toISOString());
    this.statements.insertSession.run(tokenHash, memberId, expiresAt);
  }

  async purgeRateLimits(before: Date): Promise<number> {
    return this.write(() => this.statements.purgeRateLimits.run(Math.floor(before.getTime() / 1000)).changes);
  }

  async verifyMemberEmail(memberId: number, email: string, now: string): Promise<boolean> {
    return this.write(() => this.statements.verify.run(now, memberId, email).changes === 1);
  }

  async hasAdmin(): Promise<boolean> {
    return this.adminExists();
  }

  private adminExists(): boolean {
    return this.statements.hasAdmin.get() === 1;
  }

  async openAdminSetup(tokenHash: string): Promise<boolean> {
    return this.write(() =>
      this.db
        .transaction(() => {
          if (this.adminExists()) return false;
          this.statements.putSetup.run(SETUP_KEY, tokenHash);
          return true;
        })
        .immediate(),
    );
  }

  async claimAdminSetup(tokenHash: string, member: Omit<NewMember, 'role'>): Promise<Member | null> {
    return this.write(() =>
      this.db
        .transaction(() => {
          if (this.statements.takeSetup.run(SETUP_KEY, tokenHash).changes !== 1 || this.adminExists())
            return null;
          return this.insert({ ...member, role: 'admin' });
        })
        .immediate(),
    );
  }

  async deleteMember(memberId: number, anonymousName: string): Promise<void> {
    await this.write(() =>
      this.db
        .transaction(() => {
          const row = this.statements.byId.get(memberId);
          if (!row) return;
          this.statements.deleteSessions.run(memberId);
          this.statements.deleteApiTokens.run(memberId);
          this.statements.deleteAuthorClaims.run(memberId);
          this.statements.deleteSubscriptions.run(memberId, row.email);
          this.statements.renameSubmissions.run(anonymousName, memberId);
          this.statements.anonymize.run({ name: anonymousName, id: memberId });
        })
        .immediate(),
    );
  }

  async exportMember(memberId: number): Promise<MemberExport | null> {
    return this.db.transaction(() => {
      const member = this.statements.byId.get(memberId);
      if (!member) return null;
      const rows = {
        member,
        upvotes: this.statements.upvotes.all(memberId),
        comments: this.statements.comments.all(memberId),
        submissions: this.statements.submissions.all(memberId),
        subscriptions: this.statements.subscriptions.all(memberId, member.email),
      } as ExportRows;
      return toMemberExport(rows);
    })();
  }
}
