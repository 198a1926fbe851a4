import type pg from 'pg';

/** Changes when any process commits a write to what pages show (see migration 008). */
export async function dataVersion(pool: pg.Pool): Promise<string> {
  const { rows } = await pool.query<{ version: string }>('SELECT sum(n)::text AS version FROM data_version');
  return rows[0]?.version ?? '0';
}
