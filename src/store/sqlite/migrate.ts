import type Database from 'better-sqlite3';
import { loadMigrations } from '../migration-files.ts';

/** Ordered schema migrations (the files of `migrations/`); append only, never edit one that has shipped. */
const MIGRATIONS = await loadMigrations(new URL('./migrations/', import.meta.url));

/**
 * Applies pending migrations in one write transaction and returns their names. It is synchronous and starts with
 * the write lock (BEGIN IMMEDIATE), so stores opening a new file at once, in this process or others, apply them
 * one after the other and never twice.
 */
export function migrate(db: Database.Database): string[] {
  return db
    .transaction(() => {
      db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
        name TEXT PRIMARY KEY,
        applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
      )`);
      const done = new Set(db.prepare('SELECT name FROM schema_migrations').pluck().all() as string[]);
      const pending = MIGRATIONS.filter((migration) => !done.has(migration.name));
      for (const { name, sql } of pending) {
        db.exec(sql);
        db.prepare('INSERT INTO schema_migrations (name) VALUES (?)').run(name);
      }
      return pending.map((migration) => migration.name);
    })
    .immediate();
}
