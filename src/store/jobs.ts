/** Named locks that keep a job (e.g. a digest run) to one process at a time, and site settings. */
export interface JobStore {
  /**
   * Takes a named lock until `expiresAt` when it is free, expired, already ours, or held by `replacing` (an
   * owner the caller knows is dead). Returns the owner holding it afterwards.
   */
  tryLock(
    name: string,
    owner: string,
    expiresAt: string,
    now: string,
    replacing?: string,
  ): Promise<{ acquired: boolean; holder: string | null }>;
  releaseLock(name: string, owner: string): Promise<void>;
  /** The stored value of a site setting, storing `value` first when there is none (e.g. a generated secret). */
  ensureSetting(key: string, value: string): Promise<string>;
}
