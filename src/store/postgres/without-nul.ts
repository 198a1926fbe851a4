/** PostgreSQL text cannot hold NUL characters (SQLite's can): they are dropped rather than failing the batch. */
export function withoutNul<T>(value: T): T {
  if (typeof value === 'string') return (value.includes('\0') ? value.replaceAll('\0', '') : value) as T;
  if (Array.isArray(value)) {
    let changed = false;
    const items = value.map((item) => {
      const cleaned = withoutNul(item);
      changed ||= cleaned !== item;
      return cleaned;
    });
    return (changed ? items : value) as T;
  }
  if (value !== null && typeof value === 'object') {
    let copy: Record<string, unknown> | null = null;
    for (const [key, item] of Object.entries(value)) {
      const cleaned = withoutNul(item);
      if (cleaned !== item) {
        copy ??= { ...(value as Record<string, unknown>) };
        copy[key] = cleaned;
      }
    }
    return (copy ?? value) as T;
  }
  return value;
}
