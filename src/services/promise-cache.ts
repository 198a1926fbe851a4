/**
 * Remembering the result of an async call without remembering its failure: a rejected promise is dropped, so
 * one failed database call is retried by the next caller instead of being answered again until a restart.
 */

/** A function that runs `load` once it has succeeded; until then, every call tries again (concurrent calls share). */
export function onceSucceeded<T>(load: () => Promise<T>): () => Promise<T> {
  let kept: Promise<T> | null = null;
  return () => {
    if (!kept) {
      const attempt = load();
      kept = attempt;
      attempt.catch(() => {
        if (kept === attempt) kept = null;
      });
    }
    return kept;
  };
}

/** `map.get(key)`, or `load()` kept under `key` for as long as it has not failed. */
export function rememberUnlessFailed<K, T>(
  map: Map<K, Promise<T>>,
  key: K,
  load: () => Promise<T>,
): Promise<T> {
  const found = map.get(key);
  if (found) return found;
  const attempt = load();
  map.set(key, attempt);
  attempt.catch(() => {
    if (map.get(key) === attempt) map.delete(key);
  });
  return attempt;
}
