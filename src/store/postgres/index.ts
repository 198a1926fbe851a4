import pg from 'pg';
import type { Store } from '../store.ts';
import { migrate } from './migrate.ts';
import { PostgresStore } from './pg-store.ts';

export interface PostgresOptions {
  /** Connections kept by this process (default 10). */
  poolSize?: number;
}

/** Connects to a PostgreSQL database (postgres://…) and brings its schema up to date. */
export async function openPostgresStore(url: string, options: PostgresOptions = {}): Promise<Store> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    application_name: 'dailypapers',
  });
  // An idle connection the server drops (restart, timeout) is replaced on next use; without a listener the
  // error would end the process.
  pool.on('error', () => {});
  try {
    await migrate(pool);
  } catch (error) {
    await pool.end().catch(() => {});
    throw error;
  }
  return new PostgresStore(pool);
}
