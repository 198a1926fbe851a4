import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Where a unit of work (one web request) may read from, for stores with a read replica. Reads go to the primary
 * unless the work runs inside `readsFromReplica`, so background jobs and CLI commands, which often read what they
 * have just written, never see a replica's lag. A write inside the scope sets `wrote`, and every later read of the
 * same scope goes to the primary: a request reads its own writes.
 */
export interface ReadScope {
  replica: boolean;
  wrote: boolean;
}

const scopes = new AsyncLocalStorage<ReadScope>();

/** Runs `work` (and everything it starts) with reads allowed on the replica. */
export function readsFromReplica<T>(work: () => T): T {
  return scopes.run({ replica: true, wrote: false }, work);
}

/** Runs `work` with every read on the primary, noting whether it wrote. */
export function readsFromPrimary<T>(work: () => T): T {
  return scopes.run({ replica: false, wrote: false }, work);
}

/** The scope of the work running now, or undefined outside any. */
export function currentReadScope(): ReadScope | undefined {
  return scopes.getStore();
}

/**
 * Runs `work`, a write the visitor will not read back (a rate-limit counter), on the primary without moving the
 * rest of the request's reads there.
 */
export function bookkeeping<T>(work: () => T): T {
  return scopes.run({ replica: false, wrote: false }, work);
}
