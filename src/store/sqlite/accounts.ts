import type Database from 'better-sqlite3';
import type { Member } from '../../domain/member.ts';
import { type ExportRows, toMemberExport } from '../account-rows.ts';
import type { MemberRow } from '../member-rows.ts';
import type { MemberExport, NewMember } from '../store.ts';
import type { MemberQueries } from './members.ts';

const SETUP_KEY = 'admin-setup-token';

/** Account life cycle: email verification, the first admin's setup token, deletion and export. */
export class AccountQueries {
  private readonly statements;

  constructor(
    private readonly db: Database.Database,
    private readonly members: MemberQueries,
  ) {
    this.statements = {
      verify: db.prepare(
        'UPDATE users SET email_verified_at = ? WHERE id = ? AND email = ? AND email_verified_at IS NULL',
      ),
      hasAdmin: db.prepare<[], number>("SELECT EXISTS (SELECT 1 FROM users WHERE role = 'admin')").pluck(),
      putSetup: db.prepare(
        'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      ),
      takeSetup: db.prepare('DELETE FROM settings WHERE key = ? AND value = ?'),
      deleteSessions: db.prepare('DELETE FROM sessions WHERE user_id = ?'),
      deleteApiTokens: db.prepare('DELETE FROM api_tokens WHERE user_id = ?'),
      deleteAuthorClaims: db.prepare('DELETE FROM author_claims WHERE user_id = ?'),
      deleteSubscriptions: db.prepare('DELETE FROM subscriptions WHERE member_id = ? OR email = ?'),
      renameSubmissions: db.prepare('UPDATE daily_entries SET submitted_by_user = ? WHERE member_id = ?'),
      anonymize: db.prepare(
        `UPDATE users SET username = @name, email = @name || '@deleted.invalid', password_hash = '!',
           role = 'member', email_verified_at = NULL WHERE id = @id`,
      ),
      member: db.prepare<[number], MemberRow>('SELECT * FROM users WHERE id = ?'),
      upvotes: db.prepare('SELECT paper_id, created_at FROM votes WHERE user_id = ? ORDER BY created_at'),
      comments: db.prepare(
        'SELECT id, paper_id, parent_id, body, created_at, hidden FROM comments WHERE user_id = ? ORDER BY id',
      ),
      submissions: db.prepare(
        'SELECT paper_id, day, submitted_at FROM daily_entries WHERE member_id = ? ORDER BY day, paper_id',
      ),
      subscriptions: db.prepare(
        `SELECT email, frequency, topics, status, created_at, confirmed_at FROM subscriptions
         WHERE member_id = ? OR email = ? ORDER BY id`,
      ),
    };
  }

  verifyEmail(memberId: number, email: string, now: string): boolean {
    return this.statements.verify.run(now, memberId, email).changes === 1;
  }

  hasAdmin(): boolean {
    return this.statements.hasAdmin.get() === 1;
  }

  openAdminSetup(tokenHash: string): boolean {
    return this.db
      .transaction(() => {
        if (this.hasAdmin()) return false;
        this.statements.putSetup.run(SETUP_KEY, tokenHash);
        return true;
      })
      .immediate();
  }

  claimAdminSetup(tokenHash: string, member: Omit<NewMember, 'role'>): Member | null {
    return this.db
      .transaction(() => {
        if (this.statements.takeSetup.run(SETUP_KEY, tokenHash).changes !== 1 || this.hasAdmin()) return null;
        return this.members.create({ ...member, role: 'admin' });
      })
      .immediate();
  }

  deleteMember(memberId: number, anonymousName: string): void {
    this.db
      .transaction(() => {
        const row = this.statements.member.get(memberId);
        if (!row) return;
        this.statements.deleteSessions.run(memberId);
        this.statements.deleteApiTokens.run(memberId);
        this.statements.deleteAuthorClaims.run(memberId);
        this.statements.deleteSubscriptions.run(memberId, row.email);
        this.statements.renameSubmissions.run(anonymousName, memberId);
        this.statements.anonymize.run({ name: anonymousName, id: memberId });
      })
      .immediate();
  }

  exportMember(memberId: number): MemberExport | null {
    return this.db.transaction(() => {
      const member = this.statements.member.get(memberId);
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
