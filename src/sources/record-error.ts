/** A record of an input that cannot be imported, located by file and line (and entry within the line). */
export class SourceRecordError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly reason: string,
    readonly entry: number | null = null,
  ) {
    const where = [line !== null && `line ${line}`, entry !== null && `entry ${entry}`]
      .filter(Boolean)
      .join(', ');
    super(`${file}${where ? `: ${where}` : ''}: ${reason}`);
    this.name = 'SourceRecordError';
  }
}

/** Zod's first issue as a short reason: `paper.id: expected string`. */
export function describeIssue(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): string {
  const issue = issues[0];
  if (!issue) return 'invalid record';
  const path = issue.path.map(String).join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}
