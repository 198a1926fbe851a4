import type pg from 'pg';
import { Umzug, type UmzugStorage } from 'umzug';
import { loadMigrations } from '../migration-files.ts';
import { MIGRATION_LOCK } from './sql.ts';
import { transactionOn, withSessionLock } from './transaction.ts';

/** Ordered schema migrations (the files of `migrations/`); append only, never edit one that has shipped. Names match SQLite's where shared. */
const MIGRATIONS = await loadMigrations(new URL('./migrations/', import.meta.url));

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
  return withSessionLock(pool, MIGRATION_LOCK, async (client) => {
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      name text PRIMARY KEY,
      applied_at text NOT NULL
        DEFAULT to_char(statement_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
    )`);
    const umzug = new Umzug({
      migrations: MIGRATIONS.map(({ name, sql }) => ({
        name,
        // Recorded in the same transaction as the schema change, so a crash cannot apply it without noting it.
        up: () =>
          transactionOn(client, async () => {
            await client.query(sql);
            await client.query('INSERT INTO schema_migrations (name) VALUES ($1)', [name]);
          }),
      })),
      storage: tableStorage(client),
      logger: undefined,
    });
    const applied = await umzug.up();
    return applied.map((migration) => migration.name);
  });
}
