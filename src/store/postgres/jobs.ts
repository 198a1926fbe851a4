import type pg from 'pg';
import type { JobStore } from '../jobs.ts';

/** Job locks and site settings on PostgreSQL. */
export class PostgresJobs implements JobStore {
  constructor(private readonly pool: pg.Pool) {}

  async tryLock(
    name: string,
    owner: string,
    expiresAt: string,
    now: string,
    replacing?: string,
  ): Promise<{ acquired: boolean; holder: string | null }> {
    // ON CONFLICT DO UPDATE locks the existing row and evaluates WHERE on its latest version, so of several
    // processes racing for a free or expired lock exactly one gets it.
    const { rows } = await this.pool.query<{ owner: string }>(
      `INSERT INTO job_locks AS l (name, owner, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
         WHERE l.expires_at < $4::text OR l.owner = $2 OR l.owner = $5::text
       RETURNING owner`,
      [name, owner, expiresAt, now, replacing ?? null],
    );
    if (rows[0]) return { acquired: true, holder: rows[0].owner };
    const holder = await this.pool.query<{ owner: string }>('SELECT owner FROM job_locks WHERE name = $1', [
      name,
    ]);
    return { acquired: false, holder: holder.rows[0]?.owner ?? null };
  }

  async releaseLock(name: string, owner: string): Promise<void> {
    await this.pool.query('DELETE FROM job_locks WHERE name = $1 AND owner = $2', [name, owner]);
  }

  async ensureSetting(key: string, value: string): Promise<string> {
    // Two statements on purpose: the SELECT takes a fresh snapshot, so it sees a row a racing process committed
    // while our INSERT waited on it (a single statement's snapshot could miss it).
    await this.pool.query('INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [
      key,
      value,
    ]);
    const { rows } = await this.pool.query<{ value: string }>('SELECT value FROM settings WHERE key = $1', [
      key,
    ]);
    return rows[0]?.value ?? value;
  }
}
