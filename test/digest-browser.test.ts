// Real Chromium: subscribe from the home page, confirm through the link in the mail that arrived over SMTP,
// then open the digest in the browser in light and dark mode (screenshots in test-artifacts/).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { ARTIFACTS, launchBrowser } from './helpers/browser.ts';
import { papersOn, runDigests } from './helpers/digests.ts';
import { type RunningSite, startSite } from './helpers/site.ts';
import { linkIn, type SmtpSink, startSmtpSink } from './helpers/smtp-sink.ts';

let browser: Browser;
let site: RunningSite;
let sink: SmtpSink;

before(async () => {
  sink = await startSmtpSink();
  site = await startSite({ env: { SMTP_URL: sink.url }, records: papersOn('2026-11-23', 12) });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await site?.close();
  await sink?.close();
});

test('subscribe from the home page and confirm with the link from the mail', async () => {
  const page = await browser.newPage();
  try {
    await page.goto(`${site.url}/`);
    const box = page.getByRole('region', { name: 'Get trending papers in your email inbox!' });
    await box.getByLabel('Email address').fill('reader@example.org');
    await box.getByLabel('How often').selectOption('weekly');
    await box.getByRole('button', { name: 'Subscribe' }).click();
    await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();

    await sink.waitFor((messages) => messages.some((mail) => mail.to.includes('reader@example.org')));
    const mail = sink.messages.find((message) => message.to.includes('reader@example.org'));
    assert.ok(mail);
    await page.goto(linkIn(mail, '/subscriptions/confirm/'));
    await page.getByRole('button', { name: 'Confirm subscription' }).click();
    await page.getByRole('heading', { name: 'You are subscribed' }).waitFor();
    assert.match(
      await page.locator('main').innerText(),
      /reader@example\.org will get the weekly digest on Mondays/,
    );
    const subscription = await site.store.subscriptions.findSubscriptionByEmail('reader@example.org');
    assert.equal(subscription?.status, 'active');
    assert.equal(subscription?.frequency, 'weekly');
  } finally {
    await page.close();
  }
});

test('an invalid address shows the error next to the field', async () => {
  const page = await browser.newPage();
  try {
    await page.goto(`${site.url}/papers/2611.10000`);
    const box = page.getByRole('region', { name: 'Get trending papers in your email inbox!' });
    await box.getByLabel('Email address').fill('reader@localhost');
    // The browser's own check passes "reader@localhost"; the server's does not.
    await box.getByRole('button', { name: 'Subscribe' }).click();
    const error = page.getByRole('alert');
    await error.waitFor();
    assert.equal(await error.innerText(), 'enter an email address like ada@example.org');
    assert.equal(await page.getByLabel('Email').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.getByLabel('Email').inputValue(), 'reader@localhost');
  } finally {
    await page.close();
  }
});

test('the digest renders in light and dark mode ("view in browser")', async () => {
  const email = 'viewer@example.org';
  const now = new Date().toISOString();
  const subscription = await site.store.subscriptions.createSubscription(
    { email, frequency: 'daily', topics: { queries: [], authors: [], organizations: [] }, memberId: null },
    now,
  );
  await site.store.subscriptions.updateSubscription(subscription.id, { status: 'active' }, now);
  await runDigests(site, { frequency: 'daily', day: '2026-11-24' });
  const digest = sink.messages.find((mail) => mail.to.includes(email));
  assert.ok(digest);
  for (const scheme of ['light', 'dark'] as const) {
    const context = await browser.newContext({ colorScheme: scheme, viewport: { width: 700, height: 1200 } });
    const page = await context.newPage();
    await page.goto(linkIn(digest, '/digests/'));
    const title = page.getByRole('link', { name: 'Diffusion models for image generation: study 0' });
    await title.waitFor();
    const colors = await page.evaluate(() => {
      const card = document.querySelector('.dp-card') as HTMLElement;
      const text = document.querySelector('p.dp-text') as HTMLElement;
      return { card: getComputedStyle(card).backgroundColor, text: getComputedStyle(text).color };
    });
    if (scheme === 'dark') assert.deepEqual(colors, { card: 'rgb(23, 26, 33)', text: 'rgb(231, 233, 238)' });
    else assert.deepEqual(colors, { card: 'rgb(255, 255, 255)', text: 'rgb(28, 29, 31)' });
    await page.screenshot({ path: join(ARTIFACTS, `digest-${scheme}.png`), fullPage: true });
    await context.close();
  }
});
