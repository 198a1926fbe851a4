import type Database from 'better-sqlite3';
import { Umzug, type UmzugStorage } from 'umzug';
import { catalog } from './migrations/001-catalog.ts';
import { community } from './migrations/002-community.ts';
import { subscriptions } from './migrations/003-subscriptions.ts';
import { search } from './migrations/004-search.ts';
import { vectors } from './migrations/005-vectors.ts';
import { listIndexes } from './migrations/006-list-indexes.ts';
import { vectorPartitions } from './migrations/007-vector-partitions.ts';

/** Ordered schema migrations; append only, never edit one that has shipped. */
const MIGRATIONS: Array<{ name: string; sql: string }> = [
  { name: '001-catalog', sql: catalog },
  { name: '002-community', sql: community },
  { name: '003-subscriptions', sql: subscriptions },
  { name: '004-search', sql: search },
  { name: '005-vectors', sql: vectors },
  { name: '006-list-indexes', sql: listIndexes },
  { name: '007-vector-partitions', sql: vectorPartitions },
];

function tableStorage(db: Database.Database): UmzugStorage {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    name TEXT PRIMARY KEY,
    applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
  )`);
  return {
    async logMigration({ name }) {
      db.prepare('INSERT OR IGNORE INTO schema_migrations (name) VALUES (?)').run(name);
    },
    async unlogMigration({ name }) {
      db.prepare('DELETE FROM schema_migrations WHERE name = ?').run(name);
    },
    async executed() {
      return db.prepare('SELECT name FROM schema_migrations ORDER BY name').pluck().all() as string[];
    },
  };
}

/** Applies pending migrations, each in its own transaction; returns the names applied. */
export async function migrate(db: Database.Database): Promise<string[]> {
  const umzug = new Umzug({
    migrations: MIGRATIONS.map(({ name, sql }) => ({
      name,
      up: async () => {
        // Recorded in the same transaction as the schema change, so a crash cannot apply it without noting it.
        db.transaction(() => {
          db.exec(sql);
          db.prepare('INSERT INTO schema_migrations (name) VALUES (?)').run(name);
        })();
      },
    })),
    storage: tableStorage(db),
    logger: undefined,
  });
  const applied = await umzug.up();
  return applied.map((migration) => migration.name);
}
