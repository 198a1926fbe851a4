import pg from 'pg';
import { currentReadScope } from '../read-routing.ts';

/** A statement that only reads: SELECT or WITH with no data-changing clause, lock or sequence call in it. */
const READ_ONLY = /^\s*(select|with)\b/i;
const CHANGES_DATA =
  /\b(insert|update|delete|merge|nextval|setval|pg_advisory\w*|pg_try_advisory\w*|for\s+(no\s+key\s+)?update|for\s+(key\s+)?share)\b/i;

export function isReadOnlyStatement(text: string): boolean {
  return READ_ONLY.test(text) && !CHANGES_DATA.test(text);
}

/** How long reads stay on the primary after the replica failed a query. */
const REPLICA_REST_MS = 5_000;

/** Errors that say the replica cannot answer now (down, restarting, cut off), not that the statement is wrong. */
function isUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code !== 'string' || /^(08|53|57P|E[A-Z]+$)/.test(code);
}

function statementText(first: unknown): string | null {
  if (typeof first === 'string') return first;
  if (first && typeof first === 'object' && typeof (first as { text?: unknown }).text === 'string')
    return (first as { text: string }).text;
  return null;
}

/**
 * The primary's pool, answering the reads of a replica-allowed scope (read-routing.ts) from a streaming replica.
 * Writes, transactions (`connect`) and every read outside such a scope go to the primary; a write in the scope
 * moves its later reads to the primary. A replica that fails is rested for a few seconds and the failed read runs
 * on the primary, so a replica going away costs no request.
 */
export class ReplicaRoutingPool extends pg.Pool {
  private restingUntil = 0;

  constructor(
    config: pg.PoolConfig,
    private readonly replica: pg.Pool,
    private readonly onReplicaFailure: (error: Error) => void = () => {},
  ) {
    super(config);
  }

  override query(...args: any[]): any {
    const scope = currentReadScope();
    const text = statementText(args[0]);
    const callback = typeof args.at(-1) === 'function';
    if (text === null || callback || !isReadOnlyStatement(text)) {
      if (scope) scope.wrote = true;
      return super.query(...(args as Parameters<pg.Pool['query']>));
    }
    if (!scope?.replica || scope.wrote || Date.now() < this.restingUntil)
      return super.query(...(args as Parameters<pg.Pool['query']>));
    return this.readFromReplica(args);
  }

  override connect(): Promise<pg.PoolClient>;
  override connect(
    callback: (
      error: Error | undefined,
      client: pg.PoolClient | undefined,
      done: (release?: unknown) => void,
    ) => void,
  ): void;
  override connect(...args: any[]): any {
    const scope = currentReadScope();
    if (scope) scope.wrote = true;
    return super.connect(...(args as []));
  }

  override async end(): Promise<void> {
    await Promise.all([super.end(), this.replica.end()]);
  }

  private async readFromReplica(args: unknown[]): Promise<unknown> {
    try {
      return await (this.replica.query as (...forwarded: unknown[]) => Promise<unknown>)(...args);
    } catch (error) {
      if (isUnavailable(error)) {
        this.restingUntil = Date.now() + REPLICA_REST_MS;
        this.onReplicaFailure(error as Error);
      }
      return (super.query as (...forwarded: unknown[]) => Promise<unknown>).apply(this, args);
    }
  }
}
