// The store kinds tests run against, and opening a store of either kind from what DATABASE_URL says.
// No node:test here: child processes started by tests import this too.
import { pgvectorMissing } from '../../scripts/lib/postgres.ts';
import type { DatabaseLocation } from '../../src/config.ts';
import { openPostgresStore } from '../../src/store/postgres/index.ts';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import type { Store } from '../../src/store/store.ts';

/** SQLite; PostgreSQL with vectors in process (PGVECTOR=off); PostgreSQL searching vectors with pgvector. */
export type StoreKind = 'sqlite' | 'postgres' | 'postgres+pgvector';
export const ALL_STORE_KINDS: readonly StoreKind[] = ['sqlite', 'postgres', 'postgres+pgvector'];

/**
 * Every kind, unless TEST_STORES names some (e.g. `TEST_STORES=sqlite` while working on one store). A kind is
 * never dropped because its server is missing: its tests fail and say what to install.
 */
export function storeKindsToTest(setting = process.env.TEST_STORES): StoreKind[] {
  if (!setting?.trim()) return [...ALL_STORE_KINDS];
  const kinds = setting.split(',').map((kind) => kind.trim());
  for (const kind of kinds) {
    if (!(ALL_STORE_KINDS as readonly string[]).includes(kind))
      throw new Error(`TEST_STORES: unknown store kind "${kind}"; use ${ALL_STORE_KINDS.join(', ')}`);
  }
  return kinds as StoreKind[];
}

export const STORE_KINDS: readonly StoreKind[] = storeKindsToTest();

/** Why tests of a kind are skipped (the pgvector kind without the extension installed), or undefined. */
export function skipStoreKind(kind: StoreKind): string | undefined {
  return kind === 'postgres+pgvector' ? (pgvectorMissing() ?? undefined) : undefined;
}

/** Where a database of a kind is, as the site's configuration would say it. */
export function storeLocation(kind: StoreKind, url: string): DatabaseLocation {
  if (kind === 'sqlite') return { kind, path: url };
  return { kind: 'postgres', url, pgvector: kind === 'postgres+pgvector' };
}

/** The environment a site or CLI process on a database of this kind runs with. */
export function storeEnv(kind: StoreKind, url: string): Record<string, string> {
  return {
    DATABASE_URL: url,
    ...(kind !== 'sqlite' && { PGVECTOR: kind === 'postgres+pgvector' ? 'auto' : 'off' }),
  };
}

/** Opens (and migrates) the store at a location with the kind's own entry point. */
export function openStoreAt(location: DatabaseLocation): Promise<Store> {
  return location.kind === 'sqlite'
    ? openSqliteStore(location.path)
    : openPostgresStore(location.url, { pgvector: location.pgvector !== false });
}
