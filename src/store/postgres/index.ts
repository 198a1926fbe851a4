import pg from 'pg';
import type { Store } from '../store.ts';
import type { VectorIndexProgress } from '../vectors.ts';
import { migrate } from './migrate.ts';
import { PostgresStore } from './pg-store.ts';
import { PgvectorStorage } from './pgvector.ts';
import { ReplicaRoutingPool } from './replica-routing-pool.ts';

export interface PostgresOptions {
  /** Connections kept by this process (default 10). */
  poolSize?: number;
  /**
   * Search vectors in the database with pgvector when the server has the extension (default true); false keeps
   * them in each process's own index even then. Every process of a site should agree.
   */
  pgvector?: boolean;
  /** A streaming replica of the database: the web's reads go there (see ReplicaRoutingPool). */
  replicaUrl?: string;
  /** Told how filling pgvector's table and building its index goes, when opening does that (PgvectorStorage). */
  vectorFill?: VectorIndexProgress;
  /** Told when the replica fails a read (it is then rested for a few seconds). */
  onReplicaFailure?: (error: Error) => void;
}

/**
 * Connections kept open however long they idle (the others close after node-postgres's 10 s): as many as one
 * search uses at once. A new connection's server process starts with cold caches and no prepared statements, so
 * on a quiet site every search that found the pool emptied took 0.1-0.4 s instead of 15-30 ms at 80k papers.
 */
const KEPT_CONNECTIONS = 4;

function openPool(url: string, options: PostgresOptions): pg.Pool {
  const max = options.poolSize ?? 10;
  const config = {
    connectionString: url,
    max,
    min: Math.min(max, KEPT_CONNECTIONS),
    application_name: 'dailypapers',
  };
  if (!options.replicaUrl) return new pg.Pool(config);
  const replica = new pg.Pool({
    ...config,
    connectionString: options.replicaUrl,
    // A replica that does not answer must not hold requests up: its reads then go to the primary.
    connectionTimeoutMillis: 2_000,
  });
  replica.on('error', () => {});
  return new ReplicaRoutingPool(config, replica, options.onReplicaFailure);
}

/** Connects to a PostgreSQL database (postgres://…) and brings its schema up to date. */
export async function openPostgresStore(url: string, options: PostgresOptions = {}): Promise<Store> {
  const pool = openPool(url, options);
  // An idle connection the server drops (restart, timeout) is replaced on next use; without a listener the
  // error would end the process.
  pool.on('error', () => {});
  try {
    await migrate(pool);
    const vectors =
      options.pgvector === false ? undefined : await PgvectorStorage.open(pool, options.vectorFill);
    return new PostgresStore(pool, vectors ?? undefined);
  } catch (error) {
    await pool.end().catch(() => {});
    throw error;
  }
}
