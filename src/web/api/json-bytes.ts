/**
 * A value as JSON in UTF-8, an array written element by element into one buffer. Getting the bytes of one large
 * JSON string costs several times as much as writing many small ones: an API list of 50 Hugging Face entries
 * (about 240 KB) took 2.7–3.3 ms as `Buffer.from(JSON.stringify(list))` and 1.1 ms so (docs/benchmarks.md,
 * "JSON answers as bytes").
 */
export function jsonBytes(value: unknown): Buffer {
  if (!Array.isArray(value)) return Buffer.from(JSON.stringify(value) ?? 'null');
  // As JSON.stringify writes an array: what has no JSON form (undefined, a function) is null.
  const items = value.map((item) => JSON.stringify(item) ?? 'null');
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
