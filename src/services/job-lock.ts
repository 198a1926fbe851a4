/**
 * A named lock in the database that keeps a background job (a digest run) to one process of the site at a time,
 * across machines. It expires unless renewed, so a holder that died without releasing it frees it in time; a
 * holder that was a process on this machine that no longer exists is replaced at once.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Store } from '../store/store.ts';

export class JobBusyError extends Error {
  constructor(job: string, holder: string) {
    super(`another ${job} holds the lock (${holder}); wait for it to finish`);
    this.name = 'JobBusyError';
  }
}

export interface JobLock {
  release(): Promise<void>;
}

const LOCK_TTL_MS = 120_000;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock `name` and renews it until released; throws JobBusyError (naming `job`) when another holds it. */
export async function acquireJobLock(store: Store, name: string, job: string): Promise<JobLock> {
  const owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const expires = () => new Date(Date.now() + LOCK_TTL_MS).toISOString();
  let result = await store.jobs.tryLock(name, owner, expires(), new Date().toISOString());
  if (!result.acquired && result.holder) {
    const [host, pid] = result.holder.split(':');
    if (host === hostname() && pid && !processAlive(Number(pid))) {
      result = await store.jobs.tryLock(name, owner, expires(), new Date().toISOString(), result.holder);
    }
  }
  if (!result.acquired) throw new JobBusyError(job, result.holder ?? 'unknown');
  const renew = setInterval(() => {
    store.jobs.tryLock(name, owner, expires(), new Date().toISOString()).catch(() => {});
  }, LOCK_TTL_MS / 4);
  renew.unref();
  return {
    release: async () => {
      clearInterval(renew);
      await store.jobs.releaseLock(name, owner);
    },
  };
}
