// The personal layer in real Chromium: onboarding topics, follow, save with tags, publish a collection, For you
// with reasons, "Not interested", and the private feed's address.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { startSession } from '../src/services/accounts.ts';
import { addMember } from './helpers/accounts.ts';
import { ARTIFACTS, launchBrowser } from './helpers/browser.ts';
import { personalPapers } from './helpers/personal-papers.ts';
import { type RunningSite, startSite } from './helpers/site.ts';

let site: RunningSite;
let browser: Browser;

before(async () => {
  site = await startSite({ records: personalPapers() });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await site?.close();
});

test('a member follows, saves, publishes, reads For you with reasons, dismisses a paper and gets a private feed', async () => {
  const member = await addMember(site.store, 'ada');
  const context = await browser.newContext({ colorScheme: 'dark', viewport: { width: 390, height: 900 } });
  await context.addCookies([
    { name: 'dp_session', value: await startSession(site.store, member), url: site.url },
  ]);
  const page = await context.newPage();

  await page.goto(`${site.url}/for-you`);
  assert.ok(await page.getByRole('heading', { name: 'Tell us what you read' }).isVisible());
  await page.getByRole('button', { name: '+ Reinforcement learning' }).click();
  await page.waitForURL(`${site.url}/for-you`);
  assert.equal(await page.getByRole('heading', { name: 'Tell us what you read' }).count(), 0);
  assert.ok(await page.getByText('matches your topic “Reinforcement learning”').first().isVisible());

  await page.goto(`${site.url}/authors/Alan%20Turing`);
  await page.getByRole('button', { name: 'Follow' }).click();
  assert.ok(await page.getByRole('button', { name: 'Following · Unfollow' }).isVisible());

  await page.goto(`${site.url}/papers/2611.00001`);
  await page.locator('.save-control summary').click();
  await page.getByLabel('Tags, separated by commas').fill('RL, to read');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.waitForURL(`${site.url}/papers/2611.00001`);
  assert.equal(
    (await page.locator('.save-control summary').textContent())?.replace(/\s+/g, ' ').trim(),
    'Saved rl, to read',
  );

  await page.goto(`${site.url}/library?tag=rl`);
  await page.getByLabel('Title').fill('Offline RL reading');
  await page.getByRole('button', { name: 'Publish collection' }).click();
  const link = page.getByRole('link', { name: '/collections/ada/rl' });
  assert.ok(await link.isVisible());
  const visitor = await browser.newPage();
  await visitor.goto(`${site.url}/collections/ada/rl`);
  assert.ok(await visitor.getByRole('heading', { name: 'Offline RL reading' }).isVisible());
  assert.ok(
    await visitor.getByRole('link', { name: 'Offline reinforcement learning with uncertainty' }).isVisible(),
  );
  await visitor.close();

  await page.goto(`${site.url}/for-you`);
  assert.ok(
    await page.getByText('you saved “Offline reinforcement learning with uncertainty”').first().isVisible(),
  );
  assert.ok(await page.getByText('by Alan Turing, whom you follow').isVisible());
  await page.screenshot({ path: `${ARTIFACTS}personal-for-you-dark.png`, fullPage: true });
  const card = page.locator('#paper-2611\\.00003');
  await card.getByRole('button', { name: 'Not interested' }).click();
  await page.waitForURL(`${site.url}/for-you`);
  assert.equal(await page.locator('#paper-2611\\.00003').count(), 0);

  await page.goto(`${site.url}/account`);
  await page.getByRole('button', { name: 'Make a private feed' }).click();
  const address = await page.getByLabel('RSS').inputValue();
  assert.match(address, /\/feeds\/for-you\/\d+\.[A-Za-z0-9_-]+\.xml$/);
  const feed = await page.request.get(address);
  assert.equal(feed.status(), 200);
  assert.match(await feed.text(), /Uncertainty in offline reinforcement learning benchmarks/);
  await context.close();
});
