// Runs one area's part of the Store contract (src/store/store.ts) unchanged against every store kind: SQLite and
// PostgreSQL. Each test gets a fresh database; tests about several processes open several store instances on one
// database. At its end each suite checks that its tests called every method of its areas on that kind.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseSearchQuery, type SearchQuery } from '../../../src/domain/search-query.ts';
import type { Store } from '../../../src/store/store.ts';
import {
  freshDatabase,
  STORE_KINDS,
  type StoreDatabase,
  type StoreKind,
  skipStoreKind,
} from '../../helpers/stores.ts';
import { callName, recorded, type StoreArea, uncalled } from './methods.ts';

type TestContext = { after(fn: () => Promise<void>): void };

/** Every method of the Store interface itself: tsc fails here when one is added without being listed. */
export const STORE_METHODS = ['dataVersion', 'close'] as const satisfies ReadonlyArray<keyof Store>;
/** The Store's properties that are not methods. */
type StoreProperties = StoreArea | 'rateLimits' | 'sessions' | 'waitingWriters';
type Unlisted = Exclude<keyof Store, (typeof STORE_METHODS)[number] | StoreProperties>;
const everyMethodListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyMethodListed;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export const range = (n: number) => Array.from({ length: n }, (_, index) => index);
export const words = (list: string[]): SearchQuery => ({ ...parseSearchQuery('x'), words: list });
export const member = (store: Store, username: string, role: 'member' | 'admin' = 'member') =>
  store.members.createMember({
    username,
    email: `${username}@example.org`,
    passwordHash: `hash-${username}`,
    role,
  });
export const isIsoTime = (value: string) =>
  !Number.isNaN(Date.parse(value)) && /^\d{4}-\d{2}-\d{2}T/.test(value);

/** Instances opened one after the other: the first one migrates the fresh database. */
export async function openSeveral(database: StoreDatabase, count: number): Promise<Store[]> {
  const stores: Store[] = [];
  for (let i = 0; i < count; i++) stores.push(await database.open());
  return stores;
}

const CHILD = fileURLToPath(new URL('../../helpers/store-child.ts', import.meta.url));

/** Runs test/helpers/store-child.ts: another process opening the same database and writing one paper. */
export function writeFromAnotherProcess(database: StoreDatabase, paperId: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, database.kind, database.url, paperId], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`the writer process exited with ${code}: ${output}`)),
    );
  });
}

/** What an area suite gets for one store kind. */
export interface ContractKit {
  kind: StoreKind;
  /** A fresh database of this kind, released when the test (or without one, the file) ends; its stores note the
   * methods called. */
  freshDb(t?: TestContext): Promise<StoreDatabase>;
  /** One store on such a database. */
  fresh(t: TestContext): Promise<Store>;
  /** Several stores on one such database. */
  freshSeveral(t: TestContext, count: number): Promise<Store[]>;
}

export interface ContractScope {
  /** The areas whose every method this suite must call... */
  areas: readonly StoreArea[];
  /** ...but for these (`area.method`), another suite's. */
  except?: readonly string[];
  /** Single area methods (`area.method`) this suite must call too. */
  methods?: readonly string[];
  /** The Store's own methods this suite must call. */
  storeMethods?: ReadonlyArray<(typeof STORE_METHODS)[number]>;
}

/** Runs `suite` on every store kind, then checks that it called every method of its scope on that kind. */
export function storeContract(scope: ContractScope, suite: (kit: ContractKit) => void): void {
  for (const kind of STORE_KINDS) {
    describe(kind, { skip: skipStoreKind(kind) }, () => {
      const calls = new Set<string>();
      async function freshDb(t?: TestContext): Promise<StoreDatabase> {
        const database = await freshDatabase(kind, t);
        return { ...database, open: async () => recorded(await database.open(), calls) };
      }
      const fresh = async (t: TestContext) => (await freshDb(t)).open();
      const freshSeveral = async (t: TestContext, count: number) => openSeveral(await freshDb(t), count);

      suite({ kind, freshDb, fresh, freshSeveral });

      const names = [...scope.areas, ...(scope.methods ?? []), ...(scope.storeMethods ?? [])];
      test(`every method of ${names.join(', ')} was exercised`, () => {
        const except = new Set(scope.except);
        const missing = [
          ...(scope.storeMethods ?? []).filter((method) => !calls.has(method)),
          ...scope.areas.flatMap((area) =>
            uncalled(area, calls).filter((method) => !except.has(callName(area, method))),
          ),
          ...(scope.methods ?? []).filter((method) => !calls.has(method)),
        ];
        assert.deepEqual(missing, [], `never called on ${kind}: ${missing.join(', ')}`);
      });
    });
  }
}
