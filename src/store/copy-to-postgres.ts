import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import pg from 'pg';
import { ConfigError } from '../config.ts';
import { type CopyValue, copyRows } from './postgres/copy-rows.ts';
import { openPostgresStore } from './postgres/index.ts';
import { transactionOn } from './postgres/transaction.ts';
import { openSqliteStore } from './sqlite/index.ts';
import type { VectorIndexProgress } from './vectors.ts';

/** Rows of one table in the SQLite source and, after the copy, in PostgreSQL. */
export interface TableCount {
  table: string;
  source: number;
  target: number;
}

export interface CopyProgress {
  /** Rows in every table to copy. */
  start(totalRows: number): void;
  update(copiedRows: number, table: string): void;
  /** Filling pgvector's table and building its index after the rows are copied (see PgvectorStorage). */
  vectors?: VectorIndexProgress;
}

interface TargetColumn {
  name: string;
  type: string;
}

interface TablePlan {
  table: string;
  columns: TargetColumn[];
  primaryKey: string[];
  rows: number;
}

/** Postgres allows 65,535 parameters a statement. */
const MAX_PARAMETERS = 60_000;
const MAX_BATCH_ROWS = 1_000;

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** The SQLite store's own bookkeeping (papers waiting for the FTS index, the last vector seq): PostgreSQL keeps its own. */
const SQLITE_ONLY = new Set(['schema_migrations', 'fts_pending', 'vector_seq']);

/** Tables that hold data: not SQLite internals, not the migration log, not the FTS index and its shadow tables. */
function sourceTables(source: Database.Database): string[] {
  const rows = source
    .prepare<[], { name: string; sql: string }>(
      "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .all();
  const virtual = rows.filter((row) => /^CREATE VIRTUAL TABLE/i.test(row.sql)).map((row) => row.name);
  return rows
    .map((row) => row.name)
    .filter((name) => !SQLITE_ONLY.has(name))
    .filter((name) => !virtual.some((fts) => name === fts || name.startsWith(`${fts}_`)));
}

/** Tables ordered so that each comes after the tables its foreign keys point to. */
function dependencyOrder(source: Database.Database, tables: string[]): string[] {
  const ordered: string[] = [];
  const visiting = new Set<string>();
  const visit = (table: string) => {
    if (ordered.includes(table) || visiting.has(table)) return;
    visiting.add(table);
    const references = source
      .prepare<[string], { table: string }>('SELECT "table" FROM pragma_foreign_key_list(?)')
      .all(table);
    for (const { table: parent } of references) if (tables.includes(parent)) visit(parent);
    ordered.push(table);
  };
  for (const table of tables) visit(table);
  return ordered;
}

async function planTables(source: Database.Database, target: pg.PoolClient): Promise<TablePlan[]> {
  const columns = await target.query<{ table_name: string; column_name: string; data_type: string }>(
    `SELECT table_name, column_name, data_type FROM information_schema.columns
     WHERE table_schema = current_schema() AND is_generated = 'NEVER' ORDER BY table_name, ordinal_position`,
  );
  const keys = await target.query<{ table_name: string; column_name: string }>(
    `SELECT k.table_name, k.column_name FROM information_schema.table_constraints c
     JOIN information_schema.key_column_usage k ON k.constraint_name = c.constraint_name
       AND k.table_schema = c.table_schema AND k.table_name = c.table_name
     WHERE c.table_schema = current_schema() AND c.constraint_type = 'PRIMARY KEY'
     ORDER BY k.table_name, k.ordinal_position`,
  );
  const tables = dependencyOrder(source, sourceTables(source));
  const missing = tables.filter((table) => !columns.rows.some((column) => column.table_name === table));
  if (missing.length > 0) {
    throw new ConfigError(
      `the PostgreSQL schema has no table ${missing.join(', ')}: is it a Dailypapers database?`,
    );
  }
  return tables.map((table) => {
    const sourceColumns = new Set(
      source
        .prepare<[string], { name: string }>('SELECT name FROM pragma_table_info(?)')
        .all(table)
        .map((column) => column.name),
    );
    return {
      table,
      columns: columns.rows
        .filter((column) => column.table_name === table && sourceColumns.has(column.column_name))
        .map((column) => ({ name: column.column_name, type: column.data_type })),
      primaryKey: keys.rows.filter((key) => key.table_name === table).map((key) => key.column_name),
      rows:
        (source
          .prepare(`SELECT count(*) FROM ${quote(table)}`)
          .pluck()
          .get() as number) ?? 0,
    };
  });
}

/** A SQLite value as PostgreSQL's column takes it: SQLite keeps booleans as 0 and 1. */
function fromSqlite(value: unknown, column: TargetColumn): CopyValue {
  if (value === undefined || value === null) return null;
  if (column.type === 'boolean' && typeof value === 'number') return value !== 0;
  return value as CopyValue;
}

/** The plan's columns of every row of its table in the source, converted for the target. */
function* sourceRows(source: Database.Database, plan: TablePlan): Generator<CopyValue[]> {
  const select = source
    .prepare(
      `SELECT ${plan.columns.map((column) => quote(column.name)).join(', ')} FROM ${quote(plan.table)}`,
    )
    .raw();
  for (const row of select.iterate() as IterableIterator<unknown[]>)
    yield plan.columns.map((column, index) => fromSqlite(row[index], column));
}

/** Upserts on the primary key, so a second run brings the copy up to date instead of failing. */
function insertSql(plan: TablePlan, rowCount: number): string {
  const names = plan.columns.map((column) => quote(column.name));
  const rows = Array.from(
    { length: rowCount },
    (_, row) => `(${names.map((_, column) => `$${row * names.length + column + 1}`).join(', ')})`,
  );
  const others = plan.columns.filter((column) => !plan.primaryKey.includes(column.name));
  const onConflict =
    plan.primaryKey.length === 0
      ? 'ON CONFLICT DO NOTHING'
      : others.length === 0
        ? `ON CONFLICT (${plan.primaryKey.map(quote).join(', ')}) DO NOTHING`
        : `ON CONFLICT (${plan.primaryKey.map(quote).join(', ')}) DO UPDATE SET ${others
            .map((column) => `${quote(column.name)} = EXCLUDED.${quote(column.name)}`)
            .join(', ')}`;
  return `INSERT INTO ${quote(plan.table)} (${names.join(', ')}) OVERRIDING SYSTEM VALUE VALUES ${rows.join(', ')} ${onConflict}`;
}

async function copyTable(
  source: Database.Database,
  target: pg.PoolClient,
  plan: TablePlan,
  onRows: (count: number) => void,
): Promise<void> {
  const batchRows = Math.max(1, Math.min(MAX_BATCH_ROWS, Math.floor(MAX_PARAMETERS / plan.columns.length)));
  let batch: unknown[] = [];
  let batchCount = 0;
  const flush = async () => {
    if (batchCount === 0) return;
    await target.query(insertSql(plan, batchCount), batch);
    onRows(batchCount);
    batch = [];
    batchCount = 0;
  };
  for (const row of sourceRows(source, plan)) {
    batch.push(...row);
    batchCount += 1;
    if (batchCount === batchRows) await flush();
  }
  await flush();
}

/** What a bulk load builds after the rows rather than row by row: indexes no constraint owns, and foreign keys. */
interface DeferredSchema {
  indexes: { name: string; definition: string }[];
  foreignKeys: { name: string; definition: string }[];
}

async function deferredSchema(target: pg.PoolClient, table: string): Promise<DeferredSchema> {
  const indexes = await target.query<{ name: string; definition: string }>(
    `SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS definition
     FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
     WHERE i.indrelid = $1::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)`,
    [quote(table)],
  );
  const foreignKeys = await target.query<{ name: string; definition: string }>(
    `SELECT conname AS name, pg_get_constraintdef(oid) AS definition
     FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'f'`,
    [quote(table)],
  );
  return { indexes: indexes.rows, foreignKeys: foreignKeys.rows };
}

/**
 * Fills an empty table the way a restore does: its foreign keys and the indexes no constraint owns are dropped,
 * the rows sent with one COPY, then the indexes built and the keys checked, each in one pass over the table
 * instead of once a row (at millions of rows the difference is hours). It runs inside the copy's transaction, so
 * a failure anywhere leaves the schema as it was.
 */
async function bulkCopyTable(
  source: Database.Database,
  target: pg.PoolClient,
  plan: TablePlan,
  onRows: (count: number) => void,
): Promise<void> {
  const deferred = await deferredSchema(target, plan.table);
  for (const key of deferred.foreignKeys)
    await target.query(`ALTER TABLE ${quote(plan.table)} DROP CONSTRAINT ${quote(key.name)}`);
  for (const index of deferred.indexes) await target.query(`DROP INDEX ${quote(index.name)}`);
  function* rows(): Generator<CopyValue[]> {
    let sinceReport = 0;
    for (const row of sourceRows(source, plan)) {
      yield row;
      sinceReport += 1;
      if (sinceReport === MAX_BATCH_ROWS) {
        onRows(sinceReport);
        sinceReport = 0;
      }
    }
    if (sinceReport > 0) onRows(sinceReport);
  }
  await copyRows(
    target,
    quote(plan.table),
    plan.columns.map((column) => quote(column.name)),
    rows(),
  );
  for (const index of deferred.indexes) await target.query(index.definition);
  for (const key of deferred.foreignKeys)
    await target.query(
      `ALTER TABLE ${quote(plan.table)} ADD CONSTRAINT ${quote(key.name)} ${key.definition}`,
    );
}

async function isEmpty(target: pg.PoolClient, table: string): Promise<boolean> {
  const result = await target.query(`SELECT 1 FROM ${quote(table)} LIMIT 1`);
  return result.rowCount === 0;
}

/** Index builds in one pass want room; a server set higher keeps its own figure. */
const BULK_INDEX_MEMORY_MB = 256;

async function roomForIndexBuilds(target: pg.PoolClient): Promise<void> {
  const setting = await target.query<{ mb: string }>(
    "SELECT (setting::bigint * 1024 / 1048576)::bigint AS mb FROM pg_settings WHERE name = 'maintenance_work_mem'",
  );
  if (Number(setting.rows[0]?.mb ?? 0) < BULK_INDEX_MEMORY_MB)
    await target.query(`SET LOCAL maintenance_work_mem = '${BULK_INDEX_MEMORY_MB}MB'`);
}

/** Identity and serial columns continue after the copied ids. */
async function resetSequences(target: pg.PoolClient, plans: TablePlan[]): Promise<void> {
  for (const plan of plans) {
    for (const column of plan.columns) {
      const sequence = await target.query<{ name: string | null }>(
        'SELECT pg_get_serial_sequence($1, $2) AS name',
        [quote(plan.table), column.name],
      );
      const name = sequence.rows[0]?.name;
      if (!name) continue;
      await target.query(
        `SELECT setval($1, COALESCE((SELECT max(${quote(column.name)}) FROM ${quote(plan.table)}), 0) + 1, false)`,
        [name],
      );
    }
  }
}

/**
 * Copies a whole site from a SQLite file into PostgreSQL in one transaction (all or nothing): papers, members,
 * sessions, votes, comments, subscriptions, the send log, vectors and settings. Both schemas are brought up to date
 * first. Empty tables are bulk-loaded (COPY, then their indexes and foreign keys); tables that hold rows get
 * upserts, so running it again updates rows in place and is safe to repeat. Then, unless `pgvector` is false and
 * when the server has the extension, pgvector's copy of the vectors is filled and its index built (in a
 * transaction of its own: an interrupted fill is done again by the next run or the site's next start).
 */
export async function copySqliteToPostgres(
  sqlitePath: string,
  postgresUrl: string,
  progress?: CopyProgress,
  { pgvector = true }: { pgvector?: boolean } = {},
): Promise<TableCount[]> {
  if (!existsSync(sqlitePath)) throw new ConfigError(`--from: there is no SQLite database at ${sqlitePath}`);
  await (await openSqliteStore(sqlitePath)).close();
  // The vectors go into pgvector's table after the copy, all at once, not into its index row by row.
  await (await openPostgresStore(postgresUrl, { pgvector: false })).close();

  const source = new Database(sqlitePath, { readonly: true });
  source.defaultSafeIntegers(false);
  const pool = new pg.Pool({ connectionString: postgresUrl, max: 1 });
  try {
    const target = await pool.connect();
    try {
      const plans = await planTables(source, target);
      progress?.start(plans.reduce((sum, plan) => sum + plan.rows, 0));
      let copied = 0;
      await transactionOn(target, async () => {
        await roomForIndexBuilds(target);
        for (const plan of plans) {
          if (plan.rows === 0 || plan.columns.length === 0) continue;
          const copy = (await isEmpty(target, plan.table)) ? bulkCopyTable : copyTable;
          await copy(source, target, plan, (count) => {
            copied += count;
            progress?.update(copied, plan.table);
          });
        }
        await resetSequences(target, plans);
      });
      const counts: TableCount[] = [];
      for (const plan of plans) {
        const result = await target.query<{ count: string }>(`SELECT count(*) FROM ${quote(plan.table)}`);
        counts.push({ table: plan.table, source: plan.rows, target: Number(result.rows[0]?.count ?? 0) });
      }
      if (pgvector) {
        const filled = await openPostgresStore(postgresUrl, {
          poolSize: 2,
          vectorFill: progress?.vectors ?? {},
        });
        await filled.close();
      }
      return counts;
    } finally {
      target.release();
    }
  } finally {
    source.close();
    await pool.end();
  }
}
