/** Whether `attempt` runs without throwing: for rules that are "this parses". */
export function succeeds(attempt: () => unknown): boolean {
  try {
    attempt();
    return true;
  } catch {
    return false;
  }
}
