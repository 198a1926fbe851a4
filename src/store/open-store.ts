import type { DatabaseLocation } from '../config.ts';
import type { Store } from './store.ts';

/**
 * Opens the store DATABASE_URL points at, running its migrations. Each backend is loaded only when used, so a
 * PostgreSQL deployment does not load SQLite's native module (nor SQLite one pg).
 */
export async function openStore(
  location: DatabaseLocation,
  events: { onReplicaFailure?: (error: Error) => void } = {},
): Promise<Store> {
  if (location.kind === 'postgres') {
    const { openPostgresStore } = await import('./postgres/index.ts');
    return openPostgresStore(location.url, {
      ...(location.pgvector === false && { pgvector: false }),
      ...(location.replicaUrl && { replicaUrl: location.replicaUrl, ...events }),
    });
  }
  const { openSqliteStore } = await import('./sqlite/index.ts');
  return openSqliteStore(location.path, location.cacheMb === undefined ? {} : { cacheMb: location.cacheMb });
}
