// What a visitor's browser sees: no request ever leaves our server (avatars and thumbnails are our copies), on a
// desktop and on a phone. Screenshots land in test-artifacts/.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext } from 'playwright-core';
import type { PaperRecord } from '../src/domain/paper.ts';
import { readHfDaily } from '../src/sources/hf-daily.ts';
import { ARTIFACTS, launchBrowser } from './helpers/browser.ts';
import { collect } from './helpers/collect.ts';
import { type FakeCdn, startFakeCdn } from './helpers/fake-cdn.ts';
import { SiteClient } from './helpers/http-client.ts';
import { type RunningSite, startSite } from './helpers/site.ts';
import { FIXTURES } from './helpers/temp.ts';

let cdn: FakeCdn;
let browser: Browser;
let site: RunningSite;

/** The fixture's real Hugging Face entries, their images moved to the local stand-in for the CDN. */
async function papersWithLocalImages(): Promise<PaperRecord[]> {
  const { records: original } = await collect(readHfDaily, join(FIXTURES, 'hf/three-days.jsonl.gz'));
  return original.map((record) => ({
    ...record,
    thumbnail: record.thumbnail ? `${cdn.url}/thumbs/${record.id}.png` : null,
    ...(record.organization && {
      organization: {
        ...record.organization,
        avatarUrl: record.organization.avatarUrl
          ? `${cdn.url}/avatars/${record.organization.name}.png`
          : null,
      },
    }),
  }));
}

before(async () => {
  cdn = await startFakeCdn();
  browser = await launchBrowser();
  site = await startSite({ env: { FETCH_IMAGES: 'on' }, records: await papersWithLocalImages() });
});
after(async () => {
  await browser?.close();
  await site?.close();
  await cdn?.close();
});

/** A browser context that lets requests to our server through and records (and blocks) every other one. */
async function guardedContext(
  options: Parameters<Browser['newContext']>[0],
): Promise<{ context: BrowserContext; offsite: string[] }> {
  const context = await browser.newContext(options);
  const offsite: string[] = [];
  await context.route('**', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1' && url.port === new URL(site.url).port) return route.continue();
    offsite.push(url.href);
    return route.abort();
  });
  return { context, offsite };
}

test('no page makes a request to another site; avatars and thumbnails are shown from our copies', async () => {
  const reader = new SiteClient(site.url);
  // The first view asks for copies; they arrive in the background.
  for (const deadline = Date.now() + 30_000; ; ) {
    const page = await (await reader.get('/papers/date/2026-04-30')).text();
    if ((page.match(/<img[^>]+src="\/images\/[0-9a-f]{64}"/g) ?? []).length >= 4) break;
    assert.ok(Date.now() < deadline, 'no image copies arrived');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  const { context, offsite } = await guardedContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${site.url}/papers/date/2026-04-30`);
  const shown = await page.$$eval('.paper-thumb img, img.org-avatar', (images) =>
    images.map(
      (image) => (image as HTMLImageElement).complete && (image as HTMLImageElement).naturalWidth > 0,
    ),
  );
  assert.ok(shown.length >= 4 && shown.every(Boolean), `images shown: ${shown}`);
  await page.screenshot({ path: join(ARTIFACTS, 'day-thumbnails.png') });

  const paperId = await page.locator('.paper-title a').first().getAttribute('href');
  const orgHref = await page.locator('a.org').first().getAttribute('href');
  const authorHref = await page
    .locator('.paper-card .meta a[href^="/authors/"]')
    .first()
    .getAttribute('href');
  await page.goto(`${site.url}/signup`);
  await page.getByLabel('Username').fill('visitor');
  await page.getByLabel('Email').fill('visitor@example.org');
  await page.getByLabel('Password').fill('a long enough password');
  await page.getByRole('button', { name: /sign up|create account/i }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/signup'));

  const pages = [
    '/',
    '/papers/date/2026-05-01',
    '/papers/week/2026-W18',
    '/papers/month/2026-05',
    '/papers/trending',
    paperId,
    authorHref,
    orgHref,
    '/search?q=video+generation',
    '/submit',
    '/account',
  ];
  for (const path of pages) {
    const response = await page.goto(`${site.url}${path}`);
    assert.equal(response?.status(), 200, `${path}`);
  }
  const anonymous = await guardedContext({ viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
  const phone = await anonymous.context.newPage();
  for (const path of ['/login', '/signup', '/', paperId]) {
    assert.equal((await phone.goto(`${site.url}${path}`))?.status(), 200, `${path}`);
  }
  assert.deepEqual([...offsite, ...anonymous.offsite], [], 'requests that left our server');
  await context.close();
  await anonymous.context.close();
});
