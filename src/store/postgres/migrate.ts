import type pg from 'pg';
import { Umzug, type UmzugStorage } from 'umzug';
import { catalog } from './migrations/001-catalog.ts';
import { community } from './migrations/002-community.ts';
import { subscriptions } from './migrations/003-subscriptions.ts';
import { search } from './migrations/004-search.ts';
import { vectors } from './migrations/005-vectors.ts';
import { listIndexes } from './migrations/006-list-indexes.ts';
import { vectorPartitions } from './migrations/007-vector-partitions.ts';
import { dataVersion } from './migrations/008-data-version.ts';
import { accounts } from './migrations/009-accounts.ts';
import { personal } from './migrations/010-personal.ts';
import { people } from './migrations/011-people.ts';
import { hfExtra } from './migrations/012-hf-extra.ts';
import { personalDigestReplaced } from './migrations/013-personal-digest-replaced.ts';
import { MIGRATION_LOCK } from './sql.ts';

/** Ordered schema migrations; append only, never edit one that has shipped. Names match SQLite's where shared. */
const MIGRATIONS: Array<{ name: string; sql: string }> = [
  { name: '001-catalog', sql: catalog },
  { name: '002-community', sql: community },
  { name: '003-subscriptions', sql: subscriptions },
  { name: '004-search', sql: search },
  { name: '005-vectors', sql: vectors },
  { name: '006-list-indexes', sql: listIndexes },
  { name: '007-vector-partitions', sql: vectorPartitions },
  { name: '008-data-version', sql: dataVersion },
  { name: '009-accounts', sql: accounts },
  { name: '010-personal', sql: personal },
  { name: '011-people', sql: people },
  { name: '012-hf-extra', sql: hfExtra },
  { name: '013-personal-digest-replaced', sql: personalDigestReplaced },
];

function tableStorage(client: pg.PoolClient): UmzugStorage {
  return {
    async logMigration({ name }) {
      await client.query('INSERT INTO schema_migrations (name) VALUES ($1) ON CONFLICT DO NOTHING', [name]);
    },
    async unlogMigration({ name }) {
      await client.query('DELETE FROM schema_migrations WHERE name = $1', [name]);
    },
    async executed() {
      const result = await client.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name');
      return result.rows.map((row) => row.name);
    },
  };
}

/**
 * Applies pending migrations, each in its own transaction; returns the names applied. A session advisory lock
 * is held throughout, so processes starting together apply each migration once: the others wait, then find
 * nothing left to do.
 */
export async function migrate(pool: pg.Pool): Promise<string[]> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('SELECT pg_advisory_lock($1, $2)', [...MIGRATION_LOCK]);
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        name text PRIMARY KEY,
        applied_at text NOT NULL
          DEFAULT to_char(statement_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
      )`);
      const umzug = new Umzug({
        migrations: MIGRATIONS.map(({ name, sql }) => ({
          name,
          up: async () => {
            // Recorded in the same transaction as the schema change, so a crash cannot apply it without noting it.
            await client.query('BEGIN');
            try {
              await client.query(sql);
              await client.query('INSERT INTO schema_migrations (name) VALUES ($1)', [name]);
              await client.query('COMMIT');
            } catch (error) {
              await client.query('ROLLBACK').catch(() => {});
              throw error;
            }
          },
        })),
        storage: tableStorage(client),
        logger: undefined,
      });
      const applied = await umzug.up();
      return applied.map((migration) => migration.name);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1, $2)', [...MIGRATION_LOCK]).catch((error: Error) => {
        broken = error;
      });
    }
  } finally {
    // A connection that failed to unlock is closed (which releases the lock) rather than pooled.
    client.release(broken);
  }
}
