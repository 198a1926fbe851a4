// Members for tests, made the ways the site offers: sign-up with the link from the mail, or by the operator.
import assert from 'node:assert/strict';
import type { SiteClient } from '../../scripts/lib/http-client.ts';
import { hashPassword } from '../../src/services/passwords.ts';
import type { Store } from '../../src/store/store.ts';
import { linkPath, type Mailbox, mailsTo } from './mailbox.ts';

export const TEST_PASSWORD = 'correct horse battery staple';

/** Signs up through the form, opens the confirmation link from the mail, and logs in. */
export async function signUpVerified(
  client: SiteClient,
  mailbox: Mailbox,
  username: string,
  password = TEST_PASSWORD,
): Promise<void> {
  const email = `${username}@example.org`;
  const response = await client.postForm('/signup', { username, email, password });
  assert.equal(response.status, 200, `sign-up of ${username}: ${await response.text()}`);
  const mail = (await mailsTo(mailbox, email, /Confirm your email/)).at(-1);
  assert.ok(mail);
  const verified = await client.get(linkPath(mail, '/account/verify/'));
  assert.equal(verified.status, 200, `verification of ${username}`);
  await logIn(client, username, password);
}

export async function logIn(client: SiteClient, username: string, password = TEST_PASSWORD): Promise<void> {
  const response = await client.postForm('/login', { username, password });
  assert.equal(response.status, 303, `log-in of ${username}: ${response.status}`);
}

/** A verified member made through the store, as `dailypapers users create` does; an admin with `admin`. */
export async function addMember(
  store: Store,
  username: string,
  options: { admin?: boolean; password?: string } = {},
) {
  return store.members.createMember({
    username,
    email: `${username}@example.org`,
    passwordHash: await hashPassword(options.password ?? TEST_PASSWORD),
    role: options.admin ? 'admin' : 'member',
    emailVerified: true,
  });
}
