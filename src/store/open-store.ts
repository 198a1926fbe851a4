import { ConfigError, type DatabaseLocation } from '../config.ts';
import { openSqliteStore } from './sqlite/index.ts';
import type { Store } from './store.ts';

/** Opens the store DATABASE_URL points at, running its migrations. */
export async function openStore(location: DatabaseLocation): Promise<Store> {
  if (location.kind === 'postgres') {
    throw new ConfigError(
      'DATABASE_URL: PostgreSQL is not supported yet; use a SQLite file path or sqlite:PATH',
    );
  }
  return openSqliteStore(location.path);
}
