// A paper page's JSON-LD is data, not script: under a strict Content-Security-Policy (no inline script) Chromium
// reports no violation for it, and reads it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from './helpers/browser.ts';
import { author, listedOn } from './helpers/records.ts';
import { type RunningSite, startSite } from './helpers/site.ts';

const STRICT_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' https: data:";
let site: RunningSite;
let browser: Browser;

before(async () => {
  site = await startSite({
    records: [
      listedOn('2026-11-20', '2611.00001', {
        title: 'Reasoning with <think> tokens',
        abstract: 'Ends at <EOS></script><script>alert(1)</script>.',
        authors: [author('Ada Lovelace')],
      }),
    ],
  });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await site?.close();
});

/** Opens `path` with the strict CSP added to the page's response (and `extra` appended to its HTML). */
async function openWithCsp(path: string, extra = ''): Promise<{ page: Page; violations: string[] }> {
  const page = await browser.newPage();
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await page.route(`${site.url}${path}`, async (route) => {
    const response = await route.fetch();
    const body = (await response.text()).replace('</body>', `${extra}</body>`);
    await route.fulfill({
      response,
      body,
      headers: { ...response.headers(), 'content-security-policy': STRICT_CSP },
    });
  });
  await page.goto(`${site.url}${path}`);
  await page.waitForLoadState('load');
  return { page, violations };
}

test('the JSON-LD block raises no CSP violation and parses in the page', async () => {
  const { page, violations } = await openWithCsp('/papers/2611.00001');
  const article = await page.evaluate(() =>
    JSON.parse(document.querySelector('script[type="application/ld+json"]')?.textContent ?? 'null'),
  );
  assert.equal(article['@type'], 'ScholarlyArticle');
  assert.equal(article.abstract, 'Ends at <EOS></script><script>alert(1)</script>.');
  assert.deepEqual(violations, []);
  await page.close();
});

test('an inline script under the same policy is reported, so the check above can fail', async () => {
  const { page, violations } = await openWithCsp(
    '/papers/2611.00001',
    '<script>document.title = "ran"</script>',
  );
  assert.notEqual(await page.title(), 'ran');
  assert.ok(violations.length > 0);
  await page.close();
});
