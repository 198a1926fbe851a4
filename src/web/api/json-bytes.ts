/**
 * A value as JSON in UTF-8, an array written element by element into one buffer. Getting the bytes of one large
 * JSON string costs several times as much as writing many small ones: a busy day's API list (210–255 KB of
 * Hugging Face entries) took 2.7–3.3 ms as `Buffer.from(JSON.stringify(list))` and 1.1–1.3 ms so
 * (docs/benchmarks.md, "Eighth pass: snippets and JSON bytes").
 */
export function jsonBytes(value: unknown): Buffer {
  if (!Array.isArray(value)) return Buffer.from(JSON.stringify(value) ?? 'null');
  // As JSON.stringify writes an array: what has no JSON form (undefined, a function, a hole) is null.
  const items = Array.from(value, (item) => JSON.stringify(item) ?? 'null');
  let length = 2 + Math.max(0, items.length - 1);
  for (const item of items) length += Buffer.byteLength(item);
  const bytes = Buffer.allocUnsafe(length);
  let at = bytes.write('[');
  for (const [index, item] of items.entries()) {
    if (index > 0) at += bytes.write(',', at);
    at += bytes.write(item, at);
  }
  bytes.write(']', at);
  return bytes;
}
