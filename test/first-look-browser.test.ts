// What a visitor's browser sees: no request ever leaves our server (avatars and thumbnails are our copies), on a
// desktop and on a phone. Screenshots land in test-artifacts/.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { SiteClient } from '../scripts/lib/http-client.ts';
import type { PaperRecord } from '../src/domain/paper.ts';
import { readHfDaily } from '../src/sources/hf-daily.ts';
import { addMember, TEST_PASSWORD } from './helpers/accounts.ts';
import { ARTIFACTS, launchBrowser } from './helpers/browser.ts';
import { collect } from './helpers/collect.ts';
import { type FakeCdn, startFakeCdn } from './helpers/fake-cdn.ts';
import { listedOn } from './helpers/records.ts';
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
  site = await startSite({
    env: { FETCH_IMAGES: 'on' },
    records: [
      ...(await papersWithLocalImages()),
      // Listings after weeks and a month with none, which navigation skips.
      listedOn('2026-06-15', '2606.00001', { title: 'A paper of mid-June' }),
      listedOn('2026-08-03', '2608.00001', { title: 'A paper of August' }),
    ],
  });
});
after(async () => {
  await browser?.close();
  await site?.close();
  await cdn?.close();
});

/** A confirmed member (sign-up itself waits for a confirmation mail) who logs in through the form. */
async function signUp(page: Page, username: string): Promise<void> {
  await addMember(site.store, username);
  await page.goto(`${site.url}/login`);
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(TEST_PASSWORD);
  await page.locator('main form button[type="submit"]').first().click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

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
  // Images load lazily: bring each into view, then wait until every one has loaded or failed.
  const images = page.locator('.paper-thumb img, img.org-avatar');
  for (const image of await images.all()) await image.scrollIntoViewIfNeeded();
  await page.waitForFunction(() =>
    [...document.querySelectorAll<HTMLImageElement>('.paper-thumb img, img.org-avatar')].every(
      (image) => image.complete,
    ),
  );
  await page.evaluate(() => window.scrollTo(0, 0));
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
  await signUp(page, 'visitor');

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

test('week and month navigation skips periods with no listings, as day navigation does', async () => {
  const client = new SiteClient(site.url);
  const links = async (path: string) => {
    const page = await (await client.get(path)).text();
    return {
      previous: /<a class="button" href="([^"]+)" rel="prev">/.exec(page)?.[1] ?? null,
      next: /<a class="button" href="([^"]+)" rel="next">/.exec(page)?.[1] ?? null,
    };
  };
  assert.deepEqual(await links('/papers/week/2026-W19'), {
    previous: '/papers/week/2026-W18',
    next: '/papers/week/2026-W25',
  });
  assert.deepEqual(await links('/papers/week/2026-W22'), {
    previous: '/papers/week/2026-W19',
    next: '/papers/week/2026-W25',
  });
  assert.deepEqual(await links('/papers/week/2026-W18'), { previous: null, next: '/papers/week/2026-W19' });
  assert.deepEqual(await links('/papers/month/2026-06'), {
    previous: '/papers/month/2026-05',
    next: '/papers/month/2026-08',
  });
  assert.deepEqual(await links('/papers/month/2026-08'), { previous: '/papers/month/2026-06', next: null });
});

test('on a phone: a compact header (search behind an icon) and two cards above the fold, light and dark', async () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, colorScheme });
    const page = await context.newPage();
    await page.goto(`${site.url}/papers/date/2026-04-30`);
    await page.screenshot({ path: join(ARTIFACTS, `phone-day-${colorScheme}.png`) });
    assert.ok(await page.locator('.search-icon').isVisible(), 'the search icon');
    assert.equal(await page.locator('.header-search').isVisible(), false, 'no search box in the header');
    const header = await page.locator('.site-header').boundingBox();
    assert.ok(header && header.height <= 110, `header height ${header?.height}`);
    const second = await page.locator('.paper-card').nth(1).boundingBox();
    assert.ok(
      second && second.y + second.height <= 844,
      `second card ends at ${second && second.y + second.height}`,
    );
    await page.locator('.search-icon').click();
    await page.waitForURL(/\/search$/);
    assert.ok(await page.locator('.search-form input[type="search"]').isVisible());
    await page.goto(`${site.url}/papers/week/2026-W18`);
    await page.screenshot({ path: join(ARTIFACTS, `phone-week-${colorScheme}.png`) });
    await context.close();
  }
  for (const colorScheme of ['light', 'dark'] as const) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme });
    const page = await context.newPage();
    await page.goto(`${site.url}/papers/week/2026-W18`);
    await page.screenshot({ path: join(ARTIFACTS, `week-${colorScheme}.png`) });
    await page.goto(`${site.url}/search?q=video+generation`);
    await page.screenshot({ path: join(ARTIFACTS, `search-${colorScheme}.png`) });
    await context.close();
  }
});

test('an upvote without JavaScript comes back to the card it was made on', async () => {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    javaScriptEnabled: false,
  });
  const page = await context.newPage();
  await signUp(page, 'nojs');
  await page.goto(`${site.url}/papers/date/2026-04-30`);
  const card = page.locator('.paper-card').nth(5);
  const id = await card.getAttribute('id');
  assert.match(id ?? '', /^paper-\d{4}\.\d{5}$/);
  await card.locator('form.upvote button').click();
  await page.waitForURL(new RegExp(`/papers/date/2026-04-30#${id?.replace('.', '\\.')}$`));
  assert.equal(await card.locator('form.upvote button').getAttribute('aria-pressed'), 'true');
  const scrolled = await card.boundingBox();
  assert.ok(scrolled && scrolled.y < 900 && scrolled.y > -2, `the card is in view at y=${scrolled?.y}`);
  await context.close();
});
