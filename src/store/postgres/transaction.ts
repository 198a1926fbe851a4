import type pg from 'pg';

/** Runs `work` on one pooled connection inside BEGIN … COMMIT, rolling back when it throws. */
export async function inTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    return await transactionOn(client, () => work(client));
  } finally {
    client.release();
  }
}

/** Runs `work` inside BEGIN … COMMIT on a connection the caller holds, rolling back when it throws. */
export async function transactionOn<T>(client: pg.ClientBase, work: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await work();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}

/**
 * Runs `work` on one pooled connection holding the session-level advisory lock `key` (waiting for it), so that
 * work of several transactions is still done by one process at a time; the lock goes with the connection should
 * the process die.
 */
export async function withSessionLock<T>(
  pool: pg.Pool,
  key: readonly [number, number],
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('SELECT pg_advisory_lock($1, $2)', [...key]);
    try {
      return await work(client);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1, $2)', [...key]).catch((error: Error) => {
        broken = error;
      });
    }
  } finally {
    // A connection that failed to unlock is closed (which releases the lock) rather than pooled.
    client.release(broken);
  }
}
