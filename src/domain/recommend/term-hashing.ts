// Words and bigrams of a text, and people's names, as 32-bit hashes: no strings are built per word, so a few
// thousand abstracts are read in a few milliseconds.

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 16777619;

const STOP_WORDS =
  `a about above after again against all also am an and any are as at be because been before being
  below between both but by can could did do does doing down during each even few for from further had has have
  having he her here hers him his how however i if in into is it its itself just may me might more most much must
  my no nor not now of off on once only or other our out over own per same she should so some such than that the
  their them then there therefore these they this those through thus to too under until up upon us very via was we
  well were what when where which while who whom why will with within without would yet you your paper propose
  proposed approach method methods results show shows present introduce novel based using use used new`.split(
    /\s+/,
  );

/** Mixes a hash so that nearby inputs spread over all bits (murmur3's finalizer). */
function finalize(hash: number): number {
  let h = hash;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The hash of a string (FNV-1a then mixed), salted so that words, authors and organizations do not meet. */
export function hashString(text: string, salt = 0): number {
  let h = FNV_OFFSET ^ salt;
  for (let k = 0; k < text.length; k++) h = Math.imul(h ^ text.charCodeAt(k), FNV_PRIME);
  return finalize(h);
}

const STOP_HASHES = new Set(STOP_WORDS.filter(Boolean).map((word) => hashString(word)));

/**
 * Calls `emit` with the hash of every content word of `text` (ASCII letters and digits, lower-cased, at least two
 * characters, not a number or a stop word) and of every pair of adjacent content words.
 */
export function forEachTermHash(text: string, emit: (hash: number) => void): void {
  let previous = -1;
  let h = FNV_OFFSET;
  let length = 0;
  let digitsOnly = true;
  const end = () => {
    if (length >= 2 && !digitsOnly) {
      const word = finalize(h);
      if (!STOP_HASHES.has(word)) {
        emit(word);
        if (previous !== -1) emit(finalize(Math.imul(previous ^ 0x9e3779b9, FNV_PRIME) ^ word));
        previous = word;
      }
    }
    h = FNV_OFFSET;
    length = 0;
    digitsOnly = true;
  };
  for (let k = 0; k < text.length; k++) {
    let c = text.charCodeAt(k);
    if (c >= 65 && c <= 90) c += 32;
    const letter = c >= 97 && c <= 122;
    if (letter || (c >= 48 && c <= 57)) {
      h = Math.imul(h ^ c, FNV_PRIME);
      length++;
      if (letter) digitsOnly = false;
    } else if (length > 0) end();
  }
  if (length > 0) end();
}

const knownKeys = new Map<string, string>();
const MAX_KNOWN_KEYS = 200_000;

/** A person's or organization's name compared loosely: no accents or case, runs of other characters as one space. */
export function nameKey(name: string): string {
  const known = knownKeys.get(name);
  if (known !== undefined) return known;
  // Names repeat across papers and requests: remembered, forgotten all at once when too many.
  if (knownKeys.size >= MAX_KNOWN_KEYS) knownKeys.clear();
  const key = looseName(name);
  knownKeys.set(name, key);
  return key;
}

function looseName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
