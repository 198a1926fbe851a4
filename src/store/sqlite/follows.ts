import type { Follow, FollowKind, NewFollow } from '../../domain/follows.ts';
import type { FollowResult, FollowsRepository } from '../follows.ts';
import { type FollowRow, toFollow } from '../personal-rows.ts';
import { SqliteRepository } from './repository.ts';

export class SqliteFollows extends SqliteRepository implements FollowsRepository {
  private readonly statements = {
    insert: this.db.prepare<[number, string, string, string, string], FollowRow>(
      `INSERT INTO follows (member_id, kind, target, label, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (member_id, kind, target) DO NOTHING
         RETURNING id, kind, target, label, created_at`,
    ),
    find: this.db.prepare<[number, string, string], FollowRow>(
      'SELECT id, kind, target, label, created_at FROM follows WHERE member_id = ? AND kind = ? AND target = ?',
    ),
    remove: this.db.prepare('DELETE FROM follows WHERE member_id = ? AND id = ?'),
    list: this.db.prepare<[number], FollowRow>(
      'SELECT id, kind, target, label, created_at FROM follows WHERE member_id = ? ORDER BY id',
    ),
    count: this.db.prepare<[number], number>('SELECT COUNT(*) FROM follows WHERE member_id = ?').pluck(),
    forget: this.db.prepare('DELETE FROM follows WHERE member_id = ?'),
  };

  follow(memberId: number, follow: NewFollow, now: string): Promise<FollowResult> {
    return this.write(() => {
      const row = this.statements.insert.get(memberId, follow.kind, follow.target, follow.label, now);
      if (row) return { follow: toFollow(row), created: true };
      const existing = this.statements.find.get(memberId, follow.kind, follow.target) as FollowRow;
      return { follow: toFollow(existing), created: false };
    });
  }

  unfollow(memberId: number, id: number): Promise<boolean> {
    return this.write(() => this.statements.remove.run(memberId, id).changes === 1);
  }

  async find(memberId: number, kind: FollowKind, target: string): Promise<Follow | null> {
    const row = this.statements.find.get(memberId, kind, target);
    return row ? toFollow(row) : null;
  }

  async list(memberId: number): Promise<Follow[]> {
    return this.statements.list.all(memberId).map(toFollow);
  }

  async count(memberId: number): Promise<number> {
    return this.statements.count.get(memberId) ?? 0;
  }

  async forget(memberId: number): Promise<void> {
    await this.write(() => this.statements.forget.run(memberId));
  }
}
