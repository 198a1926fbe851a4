import type pg from 'pg';
import type { Member } from '../../domain/member.ts';
import { type ExportRows, toMemberExport } from '../account-rows.ts';
import type { MemberRow } from '../member-rows.ts';
import type { MemberExport, NewMember } from '../store.ts';
import type { MemberQueries } from './members.ts';
import { inTransaction } from './transaction.ts';

const SETUP_KEY = 'admin-setup-token';

/** Account life cycle: email verification, the first admin's setup token, deletion and export. */
export class AccountQueries {
  constructor(
    private readonly pool: pg.Pool,
    private readonly members: MemberQueries,
  ) {}

  async verifyEmail(memberId: number, email: string, now: string): Promise<boolean> {
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
      return this.members.create({ ...member, role: 'admin' }, client);
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
