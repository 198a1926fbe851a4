import type { JobStore } from '../jobs.ts';
import { SqliteRepository } from './repository.ts';

/** Job locks and site settings on SQLite. */
export class SqliteJobs extends SqliteRepository implements JobStore {
  private readonly statements = {
    lock: this.db.prepare<
      [{ name: string; owner: string; expiresAt: string; now: string; replacing: string | null }],
      { owner: string }
    >(
      `INSERT INTO job_locks (name, owner, expires_at) VALUES (@name, @owner, @expiresAt)
         ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
           WHERE job_locks.expires_at < @now OR job_locks.owner = @owner OR job_locks.owner = @replacing
         RETURNING owner`,
    ),
    lockHolder: this.db.prepare<[string], string>('SELECT owner FROM job_locks WHERE name = ?').pluck(),
    unlock: this.db.prepare('DELETE FROM job_locks WHERE name = ? AND owner = ?'),
    ensureSetting: this.db.prepare('INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)'),
    setting: this.db.prepare<[string], string>('SELECT value FROM settings WHERE key = ?').pluck(),
  };

  async tryLock(name: string, owner: string, expiresAt: string, now: string, replacing?: string) {
    return this.write(() => {
      const row = this.statements.lock.get({ name, owner, expiresAt, now, replacing: replacing ?? null });
      if (row) return { acquired: true, holder: row.owner };
      return { acquired: false, holder: this.statements.lockHolder.get(name) ?? null };
    });
  }

  async releaseLock(name: string, owner: string): Promise<void> {
    await this.write(() => this.statements.unlock.run(name, owner));
  }

  async ensureSetting(key: string, value: string): Promise<string> {
    return this.write(() => {
      this.statements.ensureSetting.run(key, value);
      return this.statements.setting.get(key) ?? value;
    });
  }
}
