/**
 * What a password must be: long enough, not only spaces, not one of the most common passwords (the ~49,000 of
 * zxcvbn-ts's common list, shipped in the npm package, nothing fetched), and not the member's own name or email.
 */
import { dictionary } from '@zxcvbn-ts/language-common';

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 200;

const COMMON = new Set(dictionary['passwords-common'].map((password) => password.toLowerCase()));

/** Why `password` is refused for this member, or null when it is fine. */
export function passwordProblem(password: string, owner: { username: string; email: string }): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH) return `at most ${MAX_PASSWORD_LENGTH} characters`;
  if (password.trim() === '') return 'not only spaces';
  const lower = password.toLowerCase();
  if (COMMON.has(lower) || COMMON.has(lower.trim()))
    return 'this is one of the most common passwords: choose another';
  const personal = [owner.username, owner.email, owner.email.split('@')[0] ?? '']
    .map((part) => part.trim().toLowerCase())
    .filter((part) => part.length >= 3);
  if (personal.some((part) => lower.includes(part))) return 'must not contain your username or email';
  return null;
}
