import type pg from 'pg';
import type { Comment, Member } from '../../domain/member.ts';
import type * as Engagement from '../engagement.ts';
import * as Rows from '../engagement-rows.ts';
import { HiddenPaperError, NotFoundError } from '../store.ts';
import { toNumber } from './sql.ts';
import { inTransaction } from './transaction.ts';

/**
 * Key of the transaction-scoped advisory lock that serializes appends to one listing day, so two concurrent
 * listings never take the same position (SQLite gets this from its single writer). Any code that appends to
 * daily_entries with MAX(position) + 1 should take the same lock: pg_advisory_xact_lock(hashtext(key)).
 */
export const listingDayLockKey = (day: string): string => `dailypapers:daily_entries:${day}`;

/**
 * In a transaction: the paper exists and is not hidden. The row stays locked to the end of the transaction (a
 * moderator's hide waits for it, or it waits for the hide and then sees it), always before the votes, so
 * concurrent votes cannot deadlock.
 */
async function checkOpen(client: pg.PoolClient, paperId: string): Promise<void> {
  const { rows } = await client.query<{ hidden: number }>(
    'SELECT hidden FROM papers WHERE id = $1 FOR NO KEY UPDATE',
    [paperId],
  );
  if (!rows[0]) throw new NotFoundError(`paper ${paperId}`);
  if (rows[0].hidden) throw new HiddenPaperError(paperId);
}

/** Votes, comments, submissions and what trending is computed from, on PostgreSQL. */
export class PostgresEngagement implements Engagement.EngagementStore {
  constructor(private readonly pool: pg.Pool) {}

  async setUpvote(memberId: number, paperId: string, upvoted: boolean): Promise<Engagement.UpvoteState> {
    return inTransaction(this.pool, async (client) => {
      await checkOpen(client, paperId);
      // The vote row decides whether the count moves: concurrent votes by one member on one paper wait on the
      // row (or key) lock, so exactly one of them changes it, and the counter moves in SQL, never in JS.
      const changed = upvoted
        ? await client.query(
            'INSERT INTO votes (user_id, paper_id) VALUES ($1, $2) ON CONFLICT (user_id, paper_id) DO NOTHING',
            [memberId, paperId],
          )
        : await client.query('DELETE FROM votes WHERE user_id = $1 AND paper_id = $2', [memberId, paperId]);
      const { rows } = changed.rowCount
        ? await client.query<{ upvotes: number }>(
            `UPDATE papers SET member_upvotes = member_upvotes + $1 WHERE id = $2
             RETURNING imported_upvotes + member_upvotes AS upvotes`,
            [upvoted ? 1 : -1, paperId],
          )
        : await client.query<{ upvotes: number }>(
            'SELECT imported_upvotes + member_upvotes AS upvotes FROM papers WHERE id = $1',
            [paperId],
          );
      return { upvotes: rows[0]?.upvotes ?? 0, upvoted };
    });
  }

  async upvotedBy(memberId: number, paperIds: string[]): Promise<Set<string>> {
    if (paperIds.length === 0) return new Set();
    const { rows } = await this.pool.query<{ paper_id: string }>(
      'SELECT paper_id FROM votes WHERE user_id = $1 AND paper_id = ANY($2::text[])',
      [memberId, paperIds],
    );
    return new Set(rows.map((row) => row.paper_id));
  }

  async recentUpvotes(memberId: number, limit: number): Promise<Engagement.MemberUpvote[]> {
    const { rows } = await this.pool.query<Rows.UpvoteRow>(
      `SELECT paper_id, created_at FROM (
           SELECT paper_id, created_at FROM votes WHERE user_id = $1 ORDER BY created_at DESC, paper_id DESC LIMIT $2
         ) latest ORDER BY created_at, paper_id`,
      [memberId, Rows.rowLimit(limit)],
    );
    return rows.map(Rows.toMemberUpvote);
  }

  async addComment(comment: Engagement.NewComment): Promise<Comment> {
    return inTransaction(this.pool, async (client) => {
      await checkOpen(client, comment.paperId);
      let parentId = comment.parentId;
      if (parentId !== null) {
        const { rows } = await client.query<{ paper_id: string; parent_id: number | null }>(
          'SELECT paper_id, parent_id FROM comments WHERE id = $1',
          [parentId],
        );
        const parent = rows[0];
        if (!parent || parent.paper_id !== comment.paperId) throw new NotFoundError(`comment ${parentId}`);
        // Threads are one level deep: a reply to a reply joins the thread of its top comment.
        parentId = parent.parent_id ?? parentId;
      }
      const { rows } = await client.query<Rows.CommentRow>(
        `WITH inserted AS (
           INSERT INTO comments (paper_id, parent_id, user_id, body) VALUES ($1, $2, $3, $4) RETURNING *
         )
         SELECT c.*, u.username FROM inserted c JOIN users u ON u.id = c.user_id`,
        [comment.paperId, parentId, comment.memberId, comment.body],
      );
      await client.query('UPDATE papers SET member_comments = member_comments + 1 WHERE id = $1', [
        comment.paperId,
      ]);
      return Rows.toComment(rows[0] as Rows.CommentRow);
    });
  }

  async listComments(paperId: string, options: { includeHidden?: boolean } = {}): Promise<Comment[]> {
    const includeHidden = options.includeHidden ?? false;
    const { rows } = await this.pool.query<Rows.CommentRow>(
      `SELECT c.*, u.username FROM comments c JOIN users u ON u.id = c.user_id
       WHERE c.paper_id = $1 AND (c.hidden = 0 OR $2::boolean) ORDER BY c.id`,
      [paperId, includeHidden],
    );
    return rows.map(Rows.toComment);
  }

  async setCommentHidden(id: number, hidden: boolean): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      // Only a real change moves the paper's count; a concurrent identical change re-checks `hidden` after
      // waiting for the row lock and matches nothing.
      const { rows } = await client.query<{ paper_id: string }>(
        'UPDATE comments SET hidden = $1 WHERE id = $2 AND hidden <> $1 RETURNING paper_id',
        [hidden ? 1 : 0, id],
      );
      const row = rows[0];
      if (!row) {
        const exists = await client.query('SELECT 1 FROM comments WHERE id = $1', [id]);
        if (exists.rowCount === 0) throw new NotFoundError(`comment ${id}`);
        return;
      }
      await client.query('UPDATE papers SET member_comments = member_comments + $1 WHERE id = $2', [
        hidden ? -1 : 1,
        row.paper_id,
      ]);
    });
  }

  async countSubmissionsSince(memberId: number, since: string): Promise<number> {
    const { rows } = await this.pool.query<{ count: string }>(
      'SELECT COUNT(*) AS count FROM daily_entries WHERE member_id = $1 AND submitted_at >= $2',
      [memberId, since],
    );
    return toNumber(rows[0]?.count);
  }

  async listSubmission(paperId: string, day: string, member: Member, at: string): Promise<boolean> {
    return inTransaction(this.pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [listingDayLockKey(day)]);
      const result = await client.query(
        `INSERT INTO daily_entries
           (paper_id, day, position, submitted_by_user, submitted_by_fullname, submitted_by_avatar, submitted_at,
            member_id)
         VALUES ($1, $2, (SELECT COALESCE(MAX(position), 0) + 1 FROM daily_entries WHERE day = $2),
                 $3, NULL, NULL, $4, $5)
         ON CONFLICT (paper_id) DO NOTHING`,
        [paperId, day, member.username, at, member.id],
      );
      return (result.rowCount ?? 0) > 0;
    });
  }

  async trendingCandidates(since: string, starsSince: string): Promise<Engagement.TrendingCandidate[]> {
    const { rows } = await this.pool.query<Rows.TrendingRow & { vote_times: string[] }>(
      // Candidates come from the two indexed ranges (listing day, vote time); vote times are read in order.
      `WITH candidates AS (
         SELECT paper_id FROM daily_entries WHERE day >= $2
         UNION SELECT paper_id FROM votes WHERE created_at >= $1
       )
       SELECT p.id,
              COALESCE(d.submitted_at, d.day || 'T12:00:00.000Z', p.created_at) AS listed_at,
              p.imported_upvotes,
              ARRAY(SELECT v.created_at FROM votes v WHERE v.paper_id = p.id ORDER BY v.created_at) AS vote_times,
              p.github_stars AS stars_now,
              (SELECT s.stars FROM github_star_snapshots s WHERE s.paper_id = p.id AND s.observed_at <= $3
               ORDER BY s.observed_at DESC LIMIT 1) AS stars_then
       FROM candidates c JOIN papers p ON p.id = c.paper_id
       LEFT JOIN daily_entries d ON d.paper_id = p.id
       WHERE p.hidden = 0
       ORDER BY p.id`,
      [since, since.slice(0, 10), starsSince],
    );
    return rows.map((row) => Rows.toTrendingCandidate(row, row.vote_times));
  }
}
