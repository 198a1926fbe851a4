import type pg from 'pg';
import type { Follow, FollowKind, NewFollow } from '../../domain/follows.ts';
import type { FollowResult, FollowsRepository } from '../follows.ts';
import { type FollowRow, toFollow } from '../personal-rows.ts';
import { toNumber } from './sql.ts';

const COLUMNS = 'id, kind, target, label, created_at';

export class PostgresFollows implements FollowsRepository {
  constructor(private readonly pool: pg.Pool) {}

  async follow(memberId: number, follow: NewFollow, now: string): Promise<FollowResult> {
    const inserted = await this.pool.query<FollowRow>(
      `INSERT INTO follows (member_id, kind, target, label, created_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (member_id, kind, target) DO NOTHING RETURNING ${COLUMNS}`,
      [memberId, follow.kind, follow.target, follow.label, now],
    );
    const row = inserted.rows[0];
    if (row) return { follow: toFollow(row), created: true };
    const existing = await this.find(memberId, follow.kind, follow.target);
    if (!existing) return this.follow(memberId, follow, now); // unfollowed in between: try again
    return { follow: existing, created: false };
  }

  async unfollow(memberId: number, id: number): Promise<boolean> {
    const result = await this.pool.query('DELETE FROM follows WHERE member_id = $1 AND id = $2', [
      memberId,
      id,
    ]);
    return result.rowCount === 1;
  }

  async find(memberId: number, kind: FollowKind, target: string): Promise<Follow | null> {
    const { rows } = await this.pool.query<FollowRow>(
      `SELECT ${COLUMNS} FROM follows WHERE member_id = $1 AND kind = $2 AND target = $3`,
      [memberId, kind, target],
    );
    return rows[0] ? toFollow(rows[0]) : null;
  }

  async list(memberId: number): Promise<Follow[]> {
    const { rows } = await this.pool.query<FollowRow>(
      `SELECT ${COLUMNS} FROM follows WHERE member_id = $1 ORDER BY id`,
      [memberId],
    );
    return rows.map(toFollow);
  }

  async count(memberId: number): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>(
      'SELECT COUNT(*) AS n FROM follows WHERE member_id = $1',
      [memberId],
    );
    return toNumber(rows[0]?.n);
  }

  async forget(memberId: number): Promise<void> {
    await this.pool.query('DELETE FROM follows WHERE member_id = $1', [memberId]);
  }
}
