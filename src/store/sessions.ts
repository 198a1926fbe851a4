/** Log-in sessions, by the hash of their token. */
export interface Sessions {
  /**
   * Starts a session and ends `previousTokenHash`'s (the one the browser had, if any) as one write: a log-in
   * waits at most once for another connection's transaction.
   */
  replace(
    previousTokenHash: string | undefined,
    tokenHash: string,
    memberId: number,
    expiresAt: string,
  ): Promise<void>;
}
