// The store kinds tests run against, and opening a store of either kind from what DATABASE_URL says.
// No node:test here: child processes started by tests import this too.
import type { DatabaseLocation } from '../../src/config.ts';
import { openPostgresStore } from '../../src/store/postgres/index.ts';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import type { Store } from '../../src/store/store.ts';

export type StoreKind = DatabaseLocation['kind'];
export const ALL_STORE_KINDS: readonly StoreKind[] = ['sqlite', 'postgres'];

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

/** Opens (and migrates) the store at a location with the kind's own entry point. */
export function openStoreAt(location: DatabaseLocation): Promise<Store> {
  return location.kind === 'sqlite' ? openSqliteStore(location.path) : openPostgresStore(location.url);
}
