import { scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { hash, verify } from '@node-rs/argon2';

const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

/**
 * Argon2id with OWASP's first recommended setting (19 MiB, 2 passes, 1 lane): about 15 ms of CPU here, where
 * scrypt at OWASP's minimum took ~0.3 s. The parameters travel in the PHC string, so they can be raised later.
 */
const ARGON2 = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export async function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2);
}

/** Whether a stored hash was made otherwise than `hashPassword` makes them now (then a log-in makes it again). */
export function needsRehash(stored: string): boolean {
  const prefix = `$argon2id$v=19$m=${ARGON2.memoryCost},t=${ARGON2.timeCost},p=${ARGON2.parallelism}$`;
  return !stored.startsWith(prefix);
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  if (stored.startsWith('$argon2id$')) return verify(stored, password).catch(() => false);
  return verifyScrypt(password, stored);
}

/** Hashes of earlier versions: `scrypt$N$r$p$salt$hash`, base64url parts. */
async function verifyScrypt(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64url'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: 256 * 1024 * 1024,
  });
  return timingSafeEqual(actual, expected);
}
