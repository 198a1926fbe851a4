import pg from 'pg';
import type { Store } from '../store.ts';
import { migrate } from './migrate.ts';
import { PostgresStore } from './pg-store.ts';
import { PgvectorStorage } from './pgvector.ts';

export interface PostgresOptions {
  /** Connections kept by this process (default 10). */
  poolSize?: number;
  /**
   * Search vectors in the database with pgvector when the server has the extension (default true); false keeps
   * them in each process's own index even then. Every process of a site should agree.
   */
  pgvector?: boolean;
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
    const vectors = options.pgvector === false ? undefined : await PgvectorStorage.open(pool);
    return new PostgresStore(pool, vectors ?? undefined);
  } catch (error) {
    await pool.end().catch(() => {});
    throw error;
  }
}
