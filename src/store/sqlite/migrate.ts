import type Database from 'better-sqlite3';
import { catalog } from './migrations/001-catalog.ts';
import { community } from './migrations/002-community.ts';
import { subscriptions } from './migrations/003-subscriptions.ts';
import { search } from './migrations/004-search.ts';
import { vectors } from './migrations/005-vectors.ts';
import { listIndexes } from './migrations/006-list-indexes.ts';
import { vectorPartitions } from './migrations/007-vector-partitions.ts';
import { vectorSeq } from './migrations/008-vector-seq.ts';
import { searchHitIndex } from './migrations/009-search-hit-index.ts';
import { accounts } from './migrations/010-accounts.ts';
import { personal } from './migrations/011-personal.ts';
import { people } from './migrations/012-people.ts';
import { hfExtra } from './migrations/013-hf-extra.ts';
import { personalDigestReplaced } from './migrations/014-personal-digest-replaced.ts';

/** Ordered schema migrations; append only, never edit one that has shipped. */
const MIGRATIONS: Array<{ name: string; sql: string }> = [
  { name: '001-catalog', sql: catalog },
  { name: '002-community', sql: community },
  { name: '003-subscriptions', sql: subscriptions },
  { name: '004-search', sql: search },
  { name: '005-vectors', sql: vectors },
  { name: '006-list-indexes', sql: listIndexes },
  { name: '007-vector-partitions', sql: vectorPartitions },
  { name: '008-vector-seq', sql: vectorSeq },
  { name: '009-search-hit-index', sql: searchHitIndex },
  { name: '010-accounts', sql: accounts },
  { name: '011-personal', sql: personal },
  { name: '012-people', sql: people },
  { name: '013-hf-extra', sql: hfExtra },
  { name: '014-personal-digest-replaced', sql: personalDigestReplaced },
];

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
