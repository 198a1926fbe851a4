import type Database from 'better-sqlite3';
import type { Member } from '../../domain/member.ts';
import { type ApiToken, type ApiTokenStore, staleUseBefore } from '../api-tokens.ts';
import type { AuthorClaim, AuthorClaimStore, ClaimDecision, ClaimRefusal } from '../author-claims.ts';
import { type MemberRow, toMember } from '../member-rows.ts';
import type { CommentReply, NotificationStore } from '../notifications.ts';
import type { MemberComment, PeopleStore, PublicMember } from '../people.ts';
import * as Rows from '../people-rows.ts';
import { NotFoundError, StoreUnavailableError } from '../store.ts';
import type { Write } from './busy-retry.ts';
import { SqliteRepository } from './repository.ts';

export class SqliteApiTokens extends SqliteRepository implements ApiTokenStore {
  private readonly statements = {
    count: this.db.prepare<[number], number>('SELECT COUNT(*) FROM api_tokens WHERE user_id = ?').pluck(),
    insert: this.db.prepare<[number, string, string], Rows.ApiTokenRow>(
      'INSERT INTO api_tokens (user_id, name, token_hash) VALUES (?, ?, ?) RETURNING *',
    ),
    list: this.db.prepare<[number], Rows.ApiTokenRow>(
      'SELECT * FROM api_tokens WHERE user_id = ? ORDER BY id',
    ),
    revoke: this.db.prepare('DELETE FROM api_tokens WHERE user_id = ? AND id = ?'),
    member: this.db.prepare<[string], MemberRow & { token_id: number; last_used_at: string | null }>(
      `SELECT u.*, t.id AS token_id, t.last_used_at FROM api_tokens t JOIN users u ON u.id = t.user_id
         WHERE t.token_hash = ?`,
    ),
    touch: this.db.prepare(
      'UPDATE api_tokens SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)',
    ),
  };

  async create(memberId: number, name: string, tokenHash: string, limit: number): Promise<ApiToken | null> {
    return this.write(() =>
      this.db
        .transaction(() => {
          if ((this.statements.count.get(memberId) ?? 0) >= limit) return null;
          return Rows.toApiToken(this.statements.insert.get(memberId, name, tokenHash) as Rows.ApiTokenRow);
        })
        .immediate(),
    );
  }

  async list(memberId: number): Promise<ApiToken[]> {
    return this.statements.list.all(memberId).map(Rows.toApiToken);
  }

  async revoke(memberId: number, tokenId: number): Promise<boolean> {
    return (await this.write(() => this.statements.revoke.run(memberId, tokenId))).changes > 0;
  }

  async memberFor(tokenHash: string, now: string): Promise<Member | null> {
    const row = this.statements.member.get(tokenHash);
    if (!row) return null;
    const before = staleUseBefore(now);
    if (row.last_used_at === null || row.last_used_at < before) {
      // Noting the use is a courtesy: a database busy with an import does not turn the request away.
      await this.write(() => this.statements.touch.run(now, row.token_id, before)).catch((error: unknown) => {
        if (!(error instanceof StoreUnavailableError)) throw error;
      });
    }
    return toMember(row);
  }
}

export class SqliteAuthorClaims implements AuthorClaimStore {
  private readonly statements;

  constructor(
    private readonly db: Database.Database,
    private readonly write: Write,
  ) {
    const select = `SELECT ${Rows.AUTHOR_CLAIM_COLUMNS} FROM author_claims c JOIN users u ON u.id = c.user_id`;
    this.statements = {
      approvedName: db
        .prepare<[string], number>(
          "SELECT user_id FROM author_claims WHERE author_name = ? AND status = 'approved'",
        )
        .pluck(),
      pendingOf: db
        .prepare<[string, number], number>(
          "SELECT id FROM author_claims WHERE author_name = ? AND user_id = ? AND status = 'pending'",
        )
        .pluck(),
      insert: db.prepare<[string, number, string], { id: number }>(
        'INSERT INTO author_claims (author_name, user_id, created_at) VALUES (?, ?, ?) RETURNING id',
      ),
      byId: db.prepare<[number], Rows.AuthorClaimRow>(`${select} WHERE c.id = ?`),
      pending: db.prepare<[number], Rows.AuthorClaimRow>(
        `${select} WHERE c.status = 'pending' ORDER BY c.id LIMIT ?`,
      ),
      decide: db.prepare(
        "UPDATE author_claims SET status = ?, decided_at = ? WHERE id = ? AND status = 'pending'",
      ),
      ofMember: db.prepare<[number], Rows.AuthorClaimRow>(`${select} WHERE c.user_id = ? ORDER BY c.id DESC`),
      // Prepared once (every paper page asks): the names as one JSON array.
      approvedIn: db.prepare<[string], Rows.AuthorClaimRow>(
        `${select} WHERE c.status = 'approved' AND c.author_name IN (SELECT value FROM json_each(?))`,
      ),
    };
  }

  async claim(memberId: number, authorName: string, now: string): Promise<AuthorClaim | ClaimRefusal> {
    return this.write(() =>
      this.db
        .transaction((): AuthorClaim | ClaimRefusal => {
          if (this.statements.approvedName.get(authorName) !== undefined) return 'taken';
          if (this.statements.pendingOf.get(authorName, memberId) !== undefined) return 'pending';
          const { id } = this.statements.insert.get(authorName, memberId, now) as { id: number };
          return Rows.toAuthorClaim(this.statements.byId.get(id) as Rows.AuthorClaimRow);
        })
        .immediate(),
    );
  }

  async listPending(limit: number): Promise<AuthorClaim[]> {
    return this.statements.pending.all(limit).map(Rows.toAuthorClaim);
  }

  async decide(claimId: number, approve: boolean, now: string): Promise<ClaimDecision> {
    return this.write(() =>
      this.db
        .transaction((): ClaimDecision => {
          const claim = this.statements.byId.get(claimId);
          if (!claim) throw new NotFoundError(`author claim ${claimId}`);
          if (claim.status !== 'pending') return 'decided';
          if (approve && this.statements.approvedName.get(claim.author_name) !== undefined) return 'taken';
          this.statements.decide.run(approve ? 'approved' : 'rejected', now, claimId);
          return approve ? 'approved' : 'rejected';
        })
        .immediate(),
    );
  }

  async approvedFor(authorNames: string[]): Promise<AuthorClaim[]> {
    if (authorNames.length === 0) return [];
    return this.statements.approvedIn.all(JSON.stringify([...new Set(authorNames)])).map(Rows.toAuthorClaim);
  }

  async ofMember(memberId: number): Promise<AuthorClaim[]> {
    return this.statements.ofMember.all(memberId).map(Rows.toAuthorClaim);
  }
}

export class SqlitePeople implements PeopleStore {
  private readonly statements;

  constructor(db: Database.Database) {
    const visible = `FROM comments c JOIN papers p ON p.id = c.paper_id
      WHERE c.user_id = ? AND c.hidden = 0 AND p.hidden = 0`;
    this.statements = {
      byName: db.prepare<[string, string], Rows.PublicMemberRow>(
        'SELECT id, username, role, created_at FROM users WHERE username = ? AND password_hash <> ?',
      ),
      comments: db.prepare<[number, number, number], Rows.MemberCommentRow>(
        `SELECT c.id, c.paper_id, p.title, c.parent_id, c.body, c.created_at ${visible}
         ORDER BY c.id DESC LIMIT ? OFFSET ?`,
      ),
      count: db.prepare<[number], number>(`SELECT COUNT(*) ${visible}`).pluck(),
    };
  }

  async memberByUsername(username: string): Promise<PublicMember | null> {
    const row = this.statements.byName.get(username, Rows.DELETED_PASSWORD_HASH);
    return row ? Rows.toPublicMember(row) : null;
  }

  async visibleComments(memberId: number, limit: number, offset: number): Promise<MemberComment[]> {
    return this.statements.comments.all(memberId, limit, offset).map(Rows.toMemberComment);
  }

  async countVisibleComments(memberId: number): Promise<number> {
    return this.statements.count.get(memberId) ?? 0;
  }
}

export class SqliteNotifications extends SqliteRepository implements NotificationStore {
  private readonly statements = {
    replies: this.db.prepare<{ member: number; limit: number }, Rows.CommentReplyRow>(
      `SELECT r.id, r.paper_id, p.title, u.username, r.body, r.created_at ${Rows.REPLIES_FROM('@member')}
         ORDER BY r.id DESC LIMIT @limit`,
    ),
    count: this.db
      .prepare<{ member: number; since: string }, number>(
        `SELECT COUNT(*) ${Rows.REPLIES_FROM('@member')} AND r.created_at > @since`,
      )
      .pluck(),
    readAt: this.db
      .prepare<[number], string>('SELECT read_at FROM notification_reads WHERE user_id = ?')
      .pluck(),
    markRead: this.db.prepare(
      `INSERT INTO notification_reads (user_id, read_at) VALUES (?, ?)
         ON CONFLICT (user_id) DO UPDATE SET read_at = MAX(read_at, excluded.read_at)`,
    ),
  };

  async repliesTo(memberId: number, limit: number): Promise<CommentReply[]> {
    return this.statements.replies.all({ member: memberId, limit }).map(Rows.toCommentReply);
  }

  async countRepliesSince(memberId: number, since: string | null): Promise<number> {
    return this.statements.count.get({ member: memberId, since: since ?? '' }) ?? 0;
  }

  async readAt(memberId: number): Promise<string | null> {
    return this.statements.readAt.get(memberId) ?? null;
  }

  async markRead(memberId: number, at: string): Promise<void> {
    await this.write(() => this.statements.markRead.run(memberId, at));
  }
}
