import { createHash, randomBytes } from 'node:crypto';
import { type Member, validateSignup } from '../domain/member.ts';
import { DuplicateError, type Store } from '../store/store.ts';
import { passwordProblem } from './password-policy.ts';
import { hashPassword, needsRehash, verifyPassword } from './passwords.ts';
import { onceSucceeded } from './promise-cache.ts';
import { countLogInAndStart, type RateLimitClient } from './rate-limit.ts';

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

/** A member who logged in, and the token of their new session (for the cookie; only its hash is stored). */
export interface LoggedIn {
  member: Member;
  token: string;
}

/**
 * A log-in attempt from `client`, counted against its address and the account it names: the member whose login
 * (username or email) and password match, with a new session that ends the browser's `previousToken` one; or a
 * FormError that does not say which was wrong. The session is started in the attempt's counting write, before
 * the password is checked, so that a log-in waits for the database once, not twice; its token is revealed only
 * when the password is right, and it is ended otherwise.
 */
export async function logIn(
  store: Store,
  client: RateLimitClient,
  login: string,
  password: string,
  previousToken?: string,
): Promise<LoggedIn> {
  const now = new Date();
  const found = await store.members.findMemberForLogin(login.trim());
  const token = newSessionToken();
  const session = found && {
    tokenHash: hashToken(token),
    memberId: found.id,
    expiresAt: sessionExpiry(now),
    ...(previousToken && { endsTokenHash: hashToken(previousToken) }),
  };
  await countLogInAndStart(store, client, login, session, now);
  // Checking a dummy hash when the login is unknown keeps both failures equally slow.
  const ok = await verifyPassword(password, found?.passwordHash ?? (await dummyHash()));
  if (!found || !ok) {
    if (session) await store.members.deleteSession(session.tokenHash);
    throw new FormError({ login: 'wrong username/email or password' });
  }
  if (needsRehash(found.passwordHash))
    await store.members.setPasswordHash(found.id, await hashPassword(password));
  const { passwordHash: _, ...member } = found;
  return { member, token };
}

const newSessionToken = () => randomBytes(32).toString('base64url');
const sessionExpiry = (now: Date) => new Date(now.getTime() + SESSION_DAYS * 86_400_000).toISOString();

const dummyHash = onceSucceeded(() => hashPassword(randomBytes(16).toString('hex')));

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
  const token = newSessionToken();
  await store.sessions.replace(
    previousToken && hashToken(previousToken),
    hashToken(token),
    member.id,
    sessionExpiry(now),
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
