import type pg from 'pg';
import type { Member } from '../../domain/member.ts';
import { type ApiToken, type ApiTokenStore, staleUseBefore } from '../api-tokens.ts';
import type { AuthorClaim, AuthorClaimStore, ClaimDecision, ClaimRefusal } from '../author-claims.ts';
import { type MemberRow, toMember } from '../member-rows.ts';
import type { CommentReply, NotificationStore } from '../notifications.ts';
import type { MemberComment, PeopleStore, PublicMember } from '../people.ts';
import * as Rows from '../people-rows.ts';
import { NotFoundError } from '../store.ts';
import { toNumber } from './sql.ts';
import { inTransaction } from './transaction.ts';

const SELECT_CLAIMS = `SELECT ${Rows.AUTHOR_CLAIM_COLUMNS} FROM author_claims c JOIN users u ON u.id = c.user_id`;

/** SQLSTATE unique_violation on one of our named indexes. */
const violates = (error: unknown, index: string): boolean => {
  const { code, constraint } = error as { code?: string; constraint?: string };
  return code === '23505' && constraint === index;
};

export class PostgresApiTokens implements ApiTokenStore {
  constructor(private readonly pool: pg.Pool) {}

  async create(memberId: number, name: string, tokenHash: string, limit: number): Promise<ApiToken | null> {
    return inTransaction(this.pool, async (client) => {
      // The member's row lock orders concurrent creations, so the count cannot be passed.
      await client.query('SELECT 1 FROM users WHERE id = $1 FOR UPDATE', [memberId]);
      const { rows } = await client.query<{ n: string }>(
        'SELECT COUNT(*) AS n FROM api_tokens WHERE user_id = $1',
        [memberId],
      );
      if (toNumber(rows[0]?.n) >= limit) return null;
      const inserted = await client.query<Rows.ApiTokenRow>(
        'INSERT INTO api_tokens (user_id, name, token_hash) VALUES ($1, $2, $3) RETURNING *',
        [memberId, name, tokenHash],
      );
      return Rows.toApiToken(inserted.rows[0] as Rows.ApiTokenRow);
    });
  }

  async list(memberId: number): Promise<ApiToken[]> {
    const { rows } = await this.pool.query<Rows.ApiTokenRow>(
      'SELECT * FROM api_tokens WHERE user_id = $1 ORDER BY id',
      [memberId],
    );
    return rows.map(Rows.toApiToken);
  }

  async revoke(memberId: number, tokenId: number): Promise<boolean> {
    const result = await this.pool.query('DELETE FROM api_tokens WHERE user_id = $1 AND id = $2', [
      memberId,
      tokenId,
    ]);
    return (result.rowCount ?? 0) > 0;
  }

  async memberFor(tokenHash: string, now: string): Promise<Member | null> {
    const { rows } = await this.pool.query<MemberRow & { token_id: number; last_used_at: string | null }>(
      `SELECT u.*, t.id AS token_id, t.last_used_at FROM api_tokens t JOIN users u ON u.id = t.user_id
       WHERE t.token_hash = $1`,
      [tokenHash],
    );
    const row = rows[0];
    if (!row) return null;
    const before = staleUseBefore(now);
    if (row.last_used_at === null || row.last_used_at < before) {
      await this.pool.query(
        'UPDATE api_tokens SET last_used_at = $1 WHERE id = $2 AND (last_used_at IS NULL OR last_used_at < $3)',
        [now, row.token_id, before],
      );
    }
    return toMember(row);
  }
}

export class PostgresAuthorClaims implements AuthorClaimStore {
  constructor(private readonly pool: pg.Pool) {}

  async claim(memberId: number, authorName: string, now: string): Promise<AuthorClaim | ClaimRefusal> {
    const approved = await this.pool.query(
      "SELECT 1 FROM author_claims WHERE author_name = $1 AND status = 'approved'",
      [authorName],
    );
    if ((approved.rowCount ?? 0) > 0) return 'taken';
    try {
      const { rows } = await this.pool.query<{ id: number }>(
        'INSERT INTO author_claims (author_name, user_id, created_at) VALUES ($1, $2, $3) RETURNING id',
        [authorName, memberId, now],
      );
      const id = (rows[0] as { id: number }).id;
      const claim = await this.pool.query<Rows.AuthorClaimRow>(`${SELECT_CLAIMS} WHERE c.id = $1`, [id]);
      return Rows.toAuthorClaim(claim.rows[0] as Rows.AuthorClaimRow);
    } catch (error) {
      if (violates(error, 'author_claims_pending')) return 'pending';
      throw error;
    }
  }

  async listPending(limit: number): Promise<AuthorClaim[]> {
    const { rows } = await this.pool.query<Rows.AuthorClaimRow>(
      `${SELECT_CLAIMS} WHERE c.status = 'pending' ORDER BY c.id LIMIT $1`,
      [limit],
    );
    return rows.map(Rows.toAuthorClaim);
  }

  async decide(claimId: number, approve: boolean, now: string): Promise<ClaimDecision> {
    try {
      return await inTransaction(this.pool, async (client) => {
        const { rows } = await client.query<{ status: string }>(
          'SELECT status FROM author_claims WHERE id = $1 FOR UPDATE',
          [claimId],
        );
        const claim = rows[0];
        if (!claim) throw new NotFoundError(`author claim ${claimId}`);
        if (claim.status !== 'pending') return 'decided';
        await client.query('UPDATE author_claims SET status = $1, decided_at = $2 WHERE id = $3', [
          approve ? 'approved' : 'rejected',
          now,
          claimId,
        ]);
        return approve ? 'approved' : 'rejected';
      });
    } catch (error) {
      // Another claim on the same name was approved first (the unique index decides between concurrent admins).
      if (violates(error, 'author_claims_approved')) return 'taken';
      throw error;
    }
  }

  async approvedFor(authorNames: string[]): Promise<AuthorClaim[]> {
    if (authorNames.length === 0) return [];
    const { rows } = await this.pool.query<Rows.AuthorClaimRow>(
      `${SELECT_CLAIMS} WHERE c.status = 'approved' AND c.author_name = ANY($1::text[])`,
      [[...new Set(authorNames)]],
    );
    return rows.map(Rows.toAuthorClaim);
  }

  async ofMember(memberId: number): Promise<AuthorClaim[]> {
    const { rows } = await this.pool.query<Rows.AuthorClaimRow>(
      `${SELECT_CLAIMS} WHERE c.user_id = $1 ORDER BY c.id DESC`,
      [memberId],
    );
    return rows.map(Rows.toAuthorClaim);
  }
}

const VISIBLE_COMMENTS = `FROM comments c JOIN papers p ON p.id = c.paper_id
  WHERE c.user_id = $1 AND c.hidden = 0 AND p.hidden = 0`;

export class PostgresPeople implements PeopleStore {
  constructor(private readonly pool: pg.Pool) {}

  async memberByUsername(username: string): Promise<PublicMember | null> {
    const { rows } = await this.pool.query<Rows.PublicMemberRow>(
      'SELECT id, username, role, created_at FROM users WHERE lower(username) = lower($1) AND password_hash <> $2',
      [username, Rows.DELETED_PASSWORD_HASH],
    );
    return rows[0] ? Rows.toPublicMember(rows[0]) : null;
  }

  async visibleComments(memberId: number, limit: number, offset: number): Promise<MemberComment[]> {
    const { rows } = await this.pool.query<Rows.MemberCommentRow>(
      `SELECT c.id, c.paper_id, p.title, c.parent_id, c.body, c.created_at ${VISIBLE_COMMENTS}
       ORDER BY c.id DESC LIMIT $2 OFFSET $3`,
      [memberId, limit, offset],
    );
    return rows.map(Rows.toMemberComment);
  }

  async countVisibleComments(memberId: number): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>(`SELECT COUNT(*) AS n ${VISIBLE_COMMENTS}`, [
      memberId,
    ]);
    return toNumber(rows[0]?.n);
  }
}

export class PostgresNotifications implements NotificationStore {
  constructor(private readonly pool: pg.Pool) {}

  async repliesTo(memberId: number, limit: number): Promise<CommentReply[]> {
    const { rows } = await this.pool.query<Rows.CommentReplyRow>(
      `SELECT r.id, r.paper_id, p.title, u.username, r.body, r.created_at ${Rows.REPLIES_FROM('$1')}
       ORDER BY r.id DESC LIMIT $2`,
      [memberId, limit],
    );
    return rows.map(Rows.toCommentReply);
  }

  async countRepliesSince(memberId: number, since: string | null): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>(
      `SELECT COUNT(*) AS n ${Rows.REPLIES_FROM('$1')} AND r.created_at > $2`,
      [memberId, since ?? ''],
    );
    return toNumber(rows[0]?.n);
  }

  async readAt(memberId: number): Promise<string | null> {
    const { rows } = await this.pool.query<{ read_at: string }>(
      'SELECT read_at FROM notification_reads WHERE user_id = $1',
      [memberId],
    );
    return rows[0]?.read_at ?? null;
  }

  async markRead(memberId: number, at: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO notification_reads (user_id, read_at) VALUES ($1, $2)
       ON CONFLICT (user_id) DO UPDATE SET read_at = GREATEST(notification_reads.read_at, excluded.read_at)`,
      [memberId, at],
    );
  }
}
