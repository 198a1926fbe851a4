// Real Chromium: a member makes an API token on the account page and upvotes with it from a script; claims an
// author page and sees the author mark once an admin approved; sees the notifications badge after a reply.
// Screenshots land in test-artifacts/.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { addMember, TEST_PASSWORD } from './helpers/accounts.ts';
import { ARTIFACTS, launchBrowser } from './helpers/browser.ts';
import { author, listedOn } from './helpers/records.ts';
import { type RunningSite, startSite } from './helpers/site.ts';

let browser: Browser;
let site: RunningSite;
const contexts: BrowserContext[] = [];

before(async () => {
  site = await startSite({
    records: [
      listedOn('2026-11-23', '2611.00001', {
        title: 'Compilers for Everyone',
        authors: [author('Grace Hopper'), author('Jean Sammet')],
      }),
    ],
  });
  for (const name of ['grace', 'jean']) await addMember(site.store, name);
  await addMember(site.store, 'admin', { admin: true });
  browser = await launchBrowser();
});
after(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await site?.close();
});

async function loggedIn(username: string, colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
  const context = await browser.newContext({ colorScheme, viewport: { width: 1100, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${site.url}/login`);
  await page.getByLabel('Username or email').fill(username);
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(`${site.url}/`);
  return page;
}

test('a token made on the account page upvotes through the API from a script', async () => {
  const page = await loggedIn('grace');
  await page.goto(`${site.url}/account`);
  await page.getByLabel('Token name').fill('upvote script');
  await page.getByRole('button', { name: 'Create token' }).click();
  const token = (await page.getByTestId('new-token').innerText()).trim();
  assert.match(token, /^dp_[A-Za-z0-9_-]{43}$/);
  await page.screenshot({ path: join(ARTIFACTS, 'account-token.png'), fullPage: true });

  // What a script does: no cookie, only the token.
  const upvote = await page.evaluate(async (bearer) => {
    const response = await fetch('/api/papers/2611.00001/upvote', {
      method: 'POST',
      headers: { authorization: `Bearer ${bearer}` },
      credentials: 'omit',
    });
    return { status: response.status, body: await response.json() };
  }, token);
  assert.deepEqual(upvote, { status: 200, body: { upvotes: 1, upvoted: true } });
  await page.goto(`${site.url}/papers/2611.00001`);
  // The page the member sees knows the vote made with the token was theirs.
  await page.getByRole('button', { name: 'Upvote: 1 upvote', pressed: true }).waitFor();

  await page.goto(`${site.url}/account`);
  await page.getByRole('button', { name: 'Revoke token upvote script' }).click();
  await page.getByText('You have no tokens.').waitFor();
  const revoked = await page.evaluate(async (bearer) => {
    const response = await fetch('/api/me', {
      headers: { authorization: `Bearer ${bearer}` },
      credentials: 'omit',
    });
    return response.status;
  }, token);
  assert.equal(revoked, 401);
});

test('claim an author page, and see the author mark once an admin approves', async () => {
  const grace = await loggedIn('grace');
  await grace.goto(`${site.url}/authors/Grace%20Hopper`);
  await grace.getByRole('button', { name: 'This is me' }).click();
  await grace.getByText('Your claim to this author page is waiting for an admin.').waitFor();

  const admin = await loggedIn('admin');
  await admin.goto(`${site.url}/admin`);
  await admin.getByRole('button', { name: 'Approve grace as Grace Hopper' }).click();
  await admin.getByText('No claims are waiting.').waitFor();

  await grace.goto(`${site.url}/papers/2611.00001`);
  await grace.getByLabel('Add a comment').fill('Happy to answer questions about this one.');
  await grace.getByRole('button', { name: 'Comment', exact: true }).click();
  const comment = grace.locator('.comment').filter({ hasText: 'Happy to answer questions' });
  await comment.locator('.author-badge').waitFor();
  assert.equal(await comment.locator('.author-badge').innerText(), 'author');

  const reader = await browser.newPage({ colorScheme: 'dark' });
  await reader.goto(`${site.url}/authors/Grace%20Hopper`);
  await reader.locator('.author-claim').getByRole('link', { name: 'grace' }).click();
  await reader.getByRole('heading', { name: 'grace' }).waitFor();
  assert.match(await reader.locator('main').innerText(), /Happy to answer questions/);
  await reader.screenshot({ path: join(ARTIFACTS, 'member-page-dark.png'), fullPage: true });
  await reader.close();
});

test('a reply to your comment shows in the header until read', async () => {
  const jean = await loggedIn('jean');
  await jean.goto(`${site.url}/papers/2611.00001`);
  await jean.getByLabel('Add a comment').fill('Which languages does it cover?');
  await jean.getByRole('button', { name: 'Comment', exact: true }).click();
  await jean.locator('.comment').filter({ hasText: 'Which languages' }).waitFor();
  assert.equal(await jean.getByTestId('unread-count').count(), 0);

  const grace = await loggedIn('grace');
  await grace.goto(`${site.url}/papers/2611.00001`);
  const thread = grace.locator('.comment').filter({ hasText: 'Which languages' });
  await thread.locator('summary', { hasText: 'Reply' }).click();
  await thread.getByLabel('Reply').fill('COBOL, mostly.');
  await thread.getByRole('button', { name: 'Reply' }).click();
  await grace.getByText('COBOL, mostly.').waitFor();

  await jean.reload();
  assert.equal(await jean.getByTestId('unread-count').innerText(), '1');
  await jean.getByRole('link', { name: /Notifications/ }).click();
  await jean.getByRole('link', { name: /grace replied to your comment/ }).waitFor();
  await jean.screenshot({ path: join(ARTIFACTS, 'notifications.png'), fullPage: true });
  await jean.getByRole('button', { name: 'Mark all read' }).click();
  await jean.getByText('All read').waitFor();
  assert.equal(await jean.getByTestId('unread-count').count(), 0);
});
