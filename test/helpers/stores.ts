// Fresh databases of each store kind for tests, each openable by several store instances at once (like several
// processes sharing one database), closed and dropped when the test or at the latest the test file ends.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { createTestDatabase, postgresAvailable } from '../../scripts/lib/postgres.ts';
import type { DatabaseLocation } from '../../src/config.ts';
import type { Store } from '../../src/store/store.ts';
import { openStoreAt, type StoreKind, storeEnv, storeLocation } from './store-kinds.ts';

export { ALL_STORE_KINDS, STORE_KINDS, type StoreKind, skipStoreKind } from './store-kinds.ts';

export interface StoreDatabase {
  kind: StoreKind;
  location: DatabaseLocation;
  /** What DATABASE_URL says for this database: a SQLite file path or a postgres:// URL. */
  url: string;
  /** DATABASE_URL and PGVECTOR for a site or CLI process on this database. */
  env: Record<string, string>;
  /** Opens one more store instance on this database, with connections of its own. */
  open(): Promise<Store>;
  /** Closes every instance opened here (a second close is harmless) and drops the database. */
  release(): Promise<void>;
}

const NO_POSTGRES =
  'The PostgreSQL store tests need a PostgreSQL server and are not skipped without one: install the Debian ' +
  'package postgresql (its initdb in /usr/lib/postgresql/15/bin starts a throwaway cluster), or set ' +
  'DATABASE_URL=postgres://USER@HOST:PORT/DB to a server where USER may CREATE DATABASE. ' +
  'To run only the SQLite tests on purpose: TEST_STORES=sqlite.';

const unreleased = new Set<StoreDatabase>();
let sqliteDir: string | undefined;
let sqliteCounter = 0;

after(async () => {
  const errors: unknown[] = [];
  for (const database of [...unreleased]) {
    await database.release().catch((error: unknown) => errors.push(error));
  }
  if (sqliteDir) rmSync(sqliteDir, { recursive: true, force: true });
  if (errors.length > 0) throw new AggregateError(errors, 'closing the test databases failed');
});

/** Makes `close` safe to call twice (the test closes, then the cleanup does). */
function closeOnce(store: Store): Store {
  const close = store.close.bind(store);
  let closing: Promise<void> | undefined;
  store.close = () => {
    closing ??= close();
    return closing;
  };
  return store;
}

function database(kind: StoreKind, url: string, drop: () => Promise<void>): StoreDatabase {
  const stores: Store[] = [];
  let released: Promise<void> | undefined;
  const location = storeLocation(kind, url);
  const handle: StoreDatabase = {
    kind,
    location,
    url,
    env: storeEnv(kind, url),
    async open() {
      if (released) throw new Error('this test database was released already');
      const store = closeOnce(await openStoreAt(location));
      stores.push(store);
      return store;
    },
    release() {
      released ??= (async () => {
        unreleased.delete(handle);
        const closed = await Promise.allSettled(stores.map((store) => store.close()));
        await drop();
        const failed = closed.find((result) => result.status === 'rejected');
        if (failed) throw (failed as PromiseRejectedResult).reason;
      })();
      return released;
    },
  };
  unreleased.add(handle);
  return handle;
}

async function freshPostgres(kind: StoreKind): Promise<StoreDatabase> {
  if (!postgresAvailable()) throw new Error(NO_POSTGRES);
  let created: Awaited<ReturnType<typeof createTestDatabase>>;
  try {
    created = await createTestDatabase();
  } catch (error) {
    const detail = (error as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(
      `could not start or reach a PostgreSQL server for the tests: ${(error as Error).message}${detail ? `\n${detail}` : ''}\n${NO_POSTGRES}`,
      { cause: error },
    );
  }
  return database(kind, created.url, () => created.drop());
}

function freshSqlite(): StoreDatabase {
  sqliteDir ??= mkdtempSync(join(tmpdir(), 'dailypapers-stores-'));
  const path = join(sqliteDir, `store-${++sqliteCounter}.db`);
  return database('sqlite', path, async () => {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
  });
}

/**
 * A new, empty database of a kind: a SQLite file in a temp folder, or a database of its own on the test
 * PostgreSQL server (a throwaway cluster, or DATABASE_URL's server). Pass the test context to release it when
 * the test ends; everything left is released when the test file ends.
 */
export async function freshDatabase(
  kind: StoreKind,
  context?: { after(fn: () => Promise<void>): void },
): Promise<StoreDatabase> {
  const fresh = kind === 'sqlite' ? freshSqlite() : await freshPostgres(kind);
  context?.after(() => fresh.release());
  return fresh;
}

/** One store on a fresh database of a kind. */
export async function freshStore(
  kind: StoreKind,
  context?: { after(fn: () => Promise<void>): void },
): Promise<Store> {
  return (await freshDatabase(kind, context)).open();
}
