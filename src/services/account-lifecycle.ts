/**
 * An account's life by mail: sign-up with a verification link, "someone tried to sign up with your address",
 * password reset, the first admin's one-time setup link, deletion. A sign-up answers the same whether the address
 * is new or registered; the mailbox owner learns which from the mail.
 */
import { randomBytes } from 'node:crypto';
import type { Member } from '../domain/member.ts';
import {
  renderPasswordResetMail,
  renderSignupAttemptMail,
  renderVerifyEmailMail,
} from '../mail/account-mail.ts';
import type { Mailer } from '../mail/mailer.ts';
import { DuplicateError, type Store } from '../store/store.ts';
import { AccountLinks, RESET_MINUTES, VERIFY_DAYS } from './account-links.ts';
import { FormError, hashToken, type SignupInput, validSignup } from './accounts.ts';
import { passwordProblem } from './password-policy.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { enforceRateLimit, type RateLimitClient } from './rate-limit.ts';
import { sendPromptly } from './subscriptions.ts';

export interface AccountDeps {
  store: Store;
  mailer: Mailer;
  links: AccountLinks;
}

/** A link from an account mail that cannot be used (any more). */
export class AccountLinkError extends Error {
  constructor(readonly reason: 'invalid' | 'expired' | 'used') {
    super(
      reason === 'expired'
        ? 'this link has expired: ask for a new one'
        : reason === 'used'
          ? 'this link was used already'
          : 'this link is not valid: it may be incomplete',
    );
    this.name = 'AccountLinkError';
  }
}

/** Account mails to one address are capped, so the forms cannot flood someone's inbox. */
const MAILS_PER_ADDRESS_PER_DAY = 5;

async function mail(
  deps: AccountDeps,
  to: string,
  rendered: { subject: string; html: string; text: string },
) {
  const cap = await deps.store.members.hitRateLimit(
    `account-mail:${to.toLowerCase()}`,
    MAILS_PER_ADDRESS_PER_DAY,
    86_400,
    new Date(),
  );
  if (cap.allowed) await sendPromptly(deps.mailer, { to, ...rendered });
}

const host = (deps: AccountDeps) => new URL(deps.links.baseUrl).host;

export async function sendVerificationMail(
  deps: AccountDeps,
  member: Member,
  now = new Date(),
): Promise<void> {
  await mail(
    deps,
    member.email,
    renderVerifyEmailMail({
      host: host(deps),
      username: member.username,
      verifyUrl: deps.links.verifyUrl(member.id, member.email, now),
      expiresInDays: VERIFY_DAYS,
    }),
  );
}

/**
 * A new confirmation link for a member who asks again, counted as account mail (a member whose address is
 * confirmed already gets none, and nothing is counted).
 */
export async function resendVerificationMail(
  deps: AccountDeps,
  member: Member,
  client: RateLimitClient,
): Promise<'sent' | 'alreadyVerified'> {
  if (member.emailVerified) return 'alreadyVerified';
  await enforceRateLimit(deps.store, client, 'accountMail');
  await sendVerificationMail(deps, member);
  return 'sent';
}

/**
 * Handles the sign-up form: FormError for a form to fix (a taken username included: usernames are public);
 * otherwise the new member gets a verification mail, or the owner of a registered address a note about it.
 */
export async function requestSignup(deps: AccountDeps, input: SignupInput, now = new Date()): Promise<void> {
  const fields = validSignup(input);
  // Hashed before the address is looked up, so both answers take as long.
  const passwordHash = await hashPassword(fields.password);
  try {
    const member = await deps.store.members.createMember({ ...fields, passwordHash, role: 'member' });
    await sendVerificationMail(deps, member, now);
  } catch (error) {
    if (!(error instanceof DuplicateError)) throw error;
    if (error.field === 'username') throw new FormError({ username: 'that username is already taken' });
    const owner = await deps.store.members.findMemberForLogin(fields.email);
    if (!owner) return;
    await mail(
      deps,
      owner.email,
      renderSignupAttemptMail({
        host: host(deps),
        loginUrl: `${deps.links.baseUrl}/login`,
        resetUrl: `${deps.links.baseUrl}/password/forgot`,
      }),
    );
  }
}

/** Marks the address verified from the link in the verification mail; each link works once. */
export async function verifyEmail(deps: AccountDeps, token: string, now = new Date()): Promise<Member> {
  const subject = deps.links.check(token, 'verify-email', now);
  if (typeof subject === 'string') throw new AccountLinkError(subject);
  const member = await deps.store.members.getMember(subject.memberId);
  if (!member || AccountLinks.emailFingerprint(member.email) !== subject.fingerprint)
    throw new AccountLinkError('invalid');
  if (!(await deps.store.members.verifyMemberEmail(member.id, member.email, now.toISOString())))
    throw new AccountLinkError('used');
  return { ...member, emailVerified: true };
}

/** Mails a reset link when the address belongs to a member; the page says the same either way. */
export async function requestPasswordReset(
  deps: AccountDeps,
  email: string,
  now = new Date(),
): Promise<void> {
  const address = email.trim();
  if (!address.includes('@')) throw new FormError({ email: 'enter the email address of your account' });
  const member = await deps.store.members.findMemberForLogin(address);
  if (!member || member.email.toLowerCase() !== address.toLowerCase()) return;
  await mail(
    deps,
    member.email,
    renderPasswordResetMail({
      host: host(deps),
      username: member.username,
      resetUrl: deps.links.resetUrl(member.id, member.passwordHash, now),
      expiresInMinutes: RESET_MINUTES,
    }),
  );
}

async function resetTarget(deps: AccountDeps, token: string, now: Date) {
  const subject = deps.links.check(token, 'reset-password', now);
  if (typeof subject === 'string') throw new AccountLinkError(subject);
  const member = await deps.store.members.getMember(subject.memberId);
  const stored = member && (await deps.store.members.findMemberForLogin(member.username));
  if (!stored || AccountLinks.passwordFingerprint(stored.passwordHash) !== subject.fingerprint)
    throw new AccountLinkError('used');
  return stored;
}

/** Checks a reset link before showing its form. */
export async function checkResetLink(deps: AccountDeps, token: string, now = new Date()): Promise<void> {
  await resetTarget(deps, token, now);
}

/**
 * Sets a new password from a reset link (the policy applies) and ends every session of the member; the link is
 * spent with the old password. Opening the mail proves the address, so it counts as verified too.
 */
export async function resetPassword(
  deps: AccountDeps,
  token: string,
  password: string,
  now = new Date(),
): Promise<Member> {
  const member = await resetTarget(deps, token, now);
  const problem = passwordProblem(password, member);
  if (problem) throw new FormError({ password: problem });
  await deps.store.members.setPasswordHash(member.id, await hashPassword(password));
  await deps.store.members.deleteOtherSessions(member.id, '');
  await deps.store.members.verifyMemberEmail(member.id, member.email, now.toISOString());
  const { passwordHash: _, ...rest } = member;
  return { ...rest, emailVerified: true };
}

/** Deletes the member's account after checking the password (see Store.deleteMember for what stays). */
export async function deleteAccount(store: Store, member: Member, password: string): Promise<void> {
  const stored = await store.members.findMemberForLogin(member.username);
  if (!stored || !(await verifyPassword(password, stored.passwordHash)))
    throw new FormError({ password: 'that is not your password' });
  // The personal layer (follows, library, public collections) goes first: nothing stays under the anonymous name.
  await store.follows.forget(member.id);
  await store.library.forget(member.id);
  await store.members.deleteMember(member.id, `deleted-${randomBytes(5).toString('hex')}`);
}

/**
 * While the site has no admin: a new one-time setup token (any older one stops working), for the serve log.
 * Null when there is an admin.
 */
export async function openAdminSetup(store: Store): Promise<string | null> {
  const token = randomBytes(24).toString('base64url');
  return (await store.members.openAdminSetup(hashToken(token))) ? token : null;
}

/** Creates the first admin with the setup token; null when the token is wrong or spent. */
export async function claimAdminSetup(
  store: Store,
  token: string,
  input: SignupInput,
): Promise<Member | null> {
  const fields = validSignup(input);
  try {
    return await store.members.claimAdminSetup(hashToken(token), {
      username: fields.username,
      email: fields.email,
      passwordHash: await hashPassword(fields.password),
      emailVerified: true,
    });
  } catch (error) {
    if (error instanceof DuplicateError)
      throw new FormError({ [error.field]: `that ${error.field} is already taken` });
    throw error;
  }
}
