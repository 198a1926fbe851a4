import { createHash, randomBytes } from 'node:crypto';
import { type Member, validateSignup } from '../domain/member.ts';
import { DuplicateError, type Store } from '../store/store.ts';
import { passwordProblem } from './password-policy.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { enforceLoginLimits, type RateLimitClient } from './rate-limit.ts';

export const SESSION_DAYS = 30;

/** A form's problems, field by field, for the person to fix. */
export class FormError extends Error {
  constructor(readonly fields: Record<string, string>) {
    super(
      Object.entries(fields)
        .map(([field, problem]) => `${field}: ${problem}`)
        .join('; '),
    );
    this.name = 'FormError';
  }
}

export interface SignupInput {
  username: string;
  email: string;
  password: string;
}

/** The problems of a sign-up form, field by field (username, email, the password policy). */
function signupProblems(input: SignupInput): Record<string, string> {
  const problems = validateSignup(input);
  const password = passwordProblem(input.password, input);
  if (password) problems.password = password;
  return problems;
}

/** The sign-up fields trimmed, or a FormError naming each field to fix. */
export function validSignup(input: SignupInput): SignupInput {
  const fields = { username: input.username.trim(), email: input.email.trim(), password: input.password };
  const problems = signupProblems(fields);
  if (Object.keys(problems).length > 0) throw new FormError(problems);
  return fields;
}

/**
 * Creates a member from the command line (`dailypapers users create`): verified, an admin with `admin`.
 * The web sign-up is `requestSignup`; nobody becomes an admin by signing up.
 */
export async function createAccount(
  store: Store,
  input: SignupInput,
  options: { admin?: boolean } = {},
): Promise<Member> {
  const fields = validSignup(input);
  try {
    return await store.members.createMember({
      username: fields.username,
      email: fields.email,
      passwordHash: await hashPassword(fields.password),
      role: options.admin ? 'admin' : 'member',
      emailVerified: true,
    });
  } catch (error) {
    if (error instanceof DuplicateError)
      throw new FormError({ [error.field]: `that ${error.field} is already taken` });
    throw error;
  }
}

/** The member whose login (username or email) and password match, or a FormError that does not say which was wrong. */
/** A log-in attempt from `client`: counted against its address and the account it names, then checked. */
export async function logIn(
  store: Store,
  client: RateLimitClient,
  login: string,
  password: string,
): Promise<Member> {
  await enforceLoginLimits(store, client, login);
  const member = await store.members.findMemberForLogin(login.trim());
  // Checking a dummy hash when the login is unknown keeps both failures equally slow.
  const ok = await verifyPassword(password, member?.passwordHash ?? DUMMY_HASH);
  if (!member || !ok) throw new FormError({ login: 'wrong username/email or password' });
  const { passwordHash: _, ...rest } = member;
  return rest;
}

const DUMMY_HASH = await hashPassword(randomBytes(16).toString('hex'));

export async function changePassword(
  store: Store,
  member: Member,
  current: string,
  next: string,
  keepSessionToken: string,
): Promise<void> {
  const stored = await store.members.findMemberForLogin(member.username);
  if (!stored || !(await verifyPassword(current, stored.passwordHash))) {
    throw new FormError({ current: 'that is not your current password' });
  }
  const problem = passwordProblem(next, member);
  if (problem) throw new FormError({ password: problem });
  await store.members.setPasswordHash(member.id, await hashPassword(next));
  await store.members.deleteOtherSessions(member.id, hashToken(keepSessionToken));
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** Starts a session for `member`, ending the browser's `previousToken` session in the same write; returns the token. */
export async function startSession(
  store: Store,
  member: Member,
  previousToken?: string,
  now = new Date(),
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  const expires = new Date(now.getTime() + SESSION_DAYS * 86_400_000).toISOString();
  await store.sessions.replace(
    previousToken && hashToken(previousToken),
    hashToken(token),
    member.id,
    expires,
  );
  return token;
}

export async function sessionMember(
  store: Store,
  token: string | undefined,
  now = new Date(),
): Promise<Member | null> {
  if (!token) return null;
  return store.members.getSessionMember(hashToken(token), now.toISOString());
}

export async function endSession(store: Store, token: string | undefined): Promise<void> {
  if (token) await store.members.deleteSession(hashToken(token));
}
