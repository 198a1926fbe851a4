// Walks the site in Debian's Chromium like a reader and a member would, on each store kind; screenshots land in
// test-artifacts/. Every scenario runs on SQLite; on PostgreSQL the ones that read and write the database do.
import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { importPapers } from '../src/services/import-papers.ts';
import { readHfDaily } from '../src/sources/hf-daily.ts';
import { ARTIFACTS, launchBrowser } from './helpers/browser.ts';
import { type FakeArxiv, startFakeArxiv } from './helpers/fake-arxiv.ts';
import { linkPath, mailsTo } from './helpers/mailbox.ts';
import { listedOn } from './helpers/records.ts';
import { type RunningSite, startSite } from './helpers/site.ts';
import { STORE_KINDS, type StoreKind, skipStoreKind } from './helpers/stores.ts';
import { FIXTURES } from './helpers/temp.ts';

const MATH_PAPER = '2605.09999';
let arxiv: FakeArxiv;
let browser: Browser;

before(async () => {
  arxiv = await startFakeArxiv();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await arxiv?.close();
});

function startSiteOn(kind: StoreKind): Promise<RunningSite> {
  return startSite({
    store: kind,
    env: { ARXIV_API_URL: arxiv.url, SUBMISSION_MAX_AGE_DAYS: '3650' },
    semantic: true,
    prepare: async (store) => {
      await importPapers(
        store,
        readHfDaily(createReadStream(join(FIXTURES, 'hf/three-days.jsonl.gz')), 'hf'),
      );
      await store.papers.writeBatch([
        listedOn('2026-05-04', MATH_PAPER, {
          title: 'Sorting in $\\mathcal{O}(n \\log n)$ with $\\alpha$-Attention',
          abstract:
            'We show that $\\sum_{i=1}^{n} x_i^2 \\le \\frac{1}{2}$ for every attention map.\n\nA second paragraph.',
          importedUpvotes: 500,
          githubRepo: 'https://github.com/example/sorting',
          githubStars: 1234,
          projectPage: 'https://example.org/sorting',
          organization: { name: 'example-lab', fullName: 'Example Lab', avatarUrl: null },
        }),
      ]);
    },
  });
}

async function newPage(width = 1280, height = 900): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height }, colorScheme: 'light' });
  return context.newPage();
}

const count = async (page: Page) =>
  Number(await page.locator('main form.upvote .count').first().textContent());

for (const kind of STORE_KINDS) {
  describe(`on ${kind}`, { skip: skipStoreKind(kind) }, () => {
    let site: RunningSite;
    before(async () => {
      site = await startSiteOn(kind);
      assert.equal(site.config.database.kind, kind === 'sqlite' ? 'sqlite' : 'postgres');
      assert.equal(
        site.store.vectors.vectorSearch,
        kind === 'postgres+pgvector' ? 'pgvector' : 'in-process',
        'the site runs on the store under test',
      );
    });
    after(async () => {
      await site?.close();
    });
    /** Screenshots of the SQLite run keep their names; other runs' get the kind in front. */
    const shot = (name: string) => join(ARTIFACTS, kind === 'sqlite' ? name : `${kind}-${name}`);

    test('a reader browses days and weeks and opens a paper with rendered math', async () => {
      const page = await newPage();
      await page.goto(site.url);
      assert.equal(await page.locator('h1').textContent(), 'Daily Papers');
      assert.match((await page.locator('.subtitle').first().textContent()) ?? '', /May 4, 2026|4 May 2026/);
      assert.match(
        (await page.locator('main article h2, main article h3').first().textContent()) ?? '',
        /Sorting in/,
      );
      assert.ok((await page.locator('main .katex').count()) > 0, 'math in the card title is typeset');
      await page.screenshot({ path: shot('home.png'), fullPage: false });

      await page.getByRole('link', { name: /May 1/ }).first().click();
      await page.waitForURL(/\/papers\/date\/2026-05-01$/);
      assert.equal(await page.locator('main article').count(), 16);

      await page.getByRole('navigation', { name: 'Period' }).getByRole('link', { name: 'Week' }).click();
      await page.waitForURL(/\/papers\/week\/2026-W19$/);
      await page
        .getByRole('link', { name: /2026-W18/ })
        .first()
        .click();
      await page.waitForURL(/\/papers\/week\/2026-W18$/);
      assert.equal(await page.locator('main article').count(), 25);

      await page.goto(`${site.url}/papers/date/2026-05-04`);
      await page.locator(`main a[href="/papers/${MATH_PAPER}"]`).first().click();
      await page.waitForURL(new RegExp(`/papers/${MATH_PAPER}$`));
      assert.match(await page.title(), /Sorting in O\(n log n\)|Sorting in/);
      assert.ok((await page.locator('h1 .katex').count()) >= 1, 'title math typeset');
      assert.ok((await page.locator('.katex .mfrac').count()) >= 1, 'abstract fraction typeset');
      assert.equal(
        await page.locator('meta[property="og:title"]').getAttribute('content'),
        await page.title().then((t) => t.replace(/ · Dailypapers$/, '')),
      );
      for (const name of [/arXiv/, /PDF/, /GitHub/, /Project page/]) {
        assert.ok((await page.getByRole('link', { name }).count()) > 0, String(name));
      }
      await page.screenshot({ path: shot('paper.png'), fullPage: true });
      await page.context().close();
    });

    test('a member signs up, upvotes and undoes, comments, submits a paper, logs out and in again', async () => {
      const page = await newPage();
      await page.goto(`${site.url}/papers/${MATH_PAPER}`);
      await page.getByRole('link', { name: 'Sign up' }).click();
      await page.getByLabel('Username').fill('reader1');
      await page.getByLabel('Email').fill('reader1@example.org');
      await page.getByLabel('Password').fill('a long enough password');
      await page.getByRole('button', { name: /sign up|create account/i }).click();
      await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();
      const mail = (await mailsTo(site.mailbox, 'reader1@example.org', /Confirm your email/)).at(-1);
      assert.ok(mail);
      await page.goto(`${site.url}${linkPath(mail, '/account/verify/')}`);
      await page.getByRole('heading', { name: 'Email confirmed' }).waitFor();
      await page.getByRole('link', { name: 'Log in', exact: true }).click();
      await page.getByLabel('Username or email').fill('reader1');
      await page.getByLabel('Password').fill('a long enough password');
      await page.getByRole('button', { name: /log in/i }).click();
      await page.waitForURL(/\/$|\/papers\//);
      assert.ok(await page.getByRole('link', { name: 'reader1' }).isVisible());

      await page.goto(`${site.url}/papers/${MATH_PAPER}`);
      const before = await count(page);
      const upvote = page.locator('main form.upvote button').first();
      await upvote.click();
      await page.waitForFunction(
        () => document.querySelector('main form.upvote button')?.getAttribute('aria-pressed') === 'true',
      );
      assert.equal(await count(page), before + 1);
      await page.reload();
      assert.equal(await count(page), before + 1, 'the vote was stored');
      await page.locator('main form.upvote button').first().click();
      await page.waitForFunction(
        () => document.querySelector('main form.upvote button')?.getAttribute('aria-pressed') === 'false',
      );
      assert.equal(await count(page), before);
      assert.equal((await site.store.papers.getPaper(MATH_PAPER))?.upvotes, before);

      await page.getByLabel('Add a comment').fill('Nice bound. See https://example.org/proof <b>bold?</b>');
      await page.getByRole('button', { name: 'Comment' }).click();
      await page.waitForURL(/#comment-\d+$/);
      const comment = page.locator('.comment').first();
      assert.match((await comment.textContent()) ?? '', /<b>bold\?<\/b>/);
      assert.equal(await comment.getByRole('link', { name: 'https://example.org/proof' }).count(), 1);

      await page.getByRole('link', { name: 'Submit' }).click();
      await page.getByLabel('arXiv id or URL').fill('https://arxiv.org/abs/2503.11731v1');
      await page.getByRole('button', { name: /submit/i }).click();
      await page.waitForURL(/\/papers\/2503\.11731$/);
      assert.match((await page.locator('h1').textContent()) ?? '', /Industrial-Grade Sensor Simulation/);

      await page.goto(`${site.url}/submit`);
      await page.getByLabel('arXiv id or URL').fill('2503.99999');
      await page.getByRole('button', { name: /submit/i }).click();
      assert.ok(await page.getByRole('alert').first().isVisible(), 'an unknown id is a clear error');

      await page.getByRole('button', { name: 'Log out' }).click();
      assert.ok(await page.getByRole('link', { name: 'Log in', exact: true }).isVisible());
      await page.getByRole('link', { name: 'Log in', exact: true }).click();
      await page.getByLabel('Username or email').fill('reader1@example.org');
      await page.getByLabel('Password').fill('a long enough password');
      await page.getByRole('button', { name: /log in/i }).click();
      await page.waitForLoadState();
      assert.ok(await page.getByRole('link', { name: 'reader1' }).isVisible());
      await page.context().close();
    });

    test('dark mode follows the toggle and is remembered', async () => {
      const page = await newPage();
      await page.goto(`${site.url}/papers/${MATH_PAPER}`);
      const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      const light = await background();
      await page.locator('#theme-toggle').click();
      assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
      const dark = await background();
      assert.notEqual(dark, light);
      const [r = 255, g = 255, b = 255] = (dark.match(/\d+/g) ?? []).map(Number);
      assert.ok(r + g + b < 150, `dark background ${dark}`);
      await page.reload();
      assert.equal(await background(), dark, 'the choice survives a reload');
      await page.screenshot({ path: shot('paper-dark.png') });
      await page.context().close();
    });

    test('on a 375 px phone nothing overflows sideways and the controls stay usable', async () => {
      const page = await newPage(375, 812);
      for (const [path, file] of [
        ['/', 'phone-home.png'],
        [`/papers/${MATH_PAPER}`, 'phone-paper.png'],
      ] as const) {
        await page.goto(`${site.url}${path}`);
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= 375, `${path} is ${width}px wide`);
        await page.screenshot({ path: shot(file), fullPage: false });
      }
      assert.ok(
        await page
          .getByRole('link', { name: /log in to upvote/i })
          .first()
          .isVisible(),
      );
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => {
        const element = document.activeElement as HTMLElement | null;
        return element ? getComputedStyle(element).outlineStyle : 'none';
      });
      assert.notEqual(focused, 'none', 'keyboard focus is visible');
      await page.context().close();
    });

    test('search: query language, marked matches, why each result, a removable filter chip, similar papers', async () => {
      const page = await newPage();
      await page.goto(site.url);
      await page
        .getByRole('searchbox', { name: 'Search papers' })
        .first()
        .fill('video generation after:2026-05-01');
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/search\?q=/);
      assert.match((await page.locator('.subtitle').first().textContent()) ?? '', /\d+ papers? for/);
      assert.ok((await page.locator('main article mark').count()) > 0, 'matches are marked');
      assert.ok((await page.locator('main .why').count()) > 0, 'each result says why it was found');
      const chip = page
        .getByRole('list', { name: 'Filters' })
        .getByRole('link', { name: /Remove filter on or after/ });
      await chip.click();
      await page.waitForURL((url) => !url.search.includes('after'));
      assert.equal(await page.getByRole('list', { name: 'Filters' }).count(), 0);
      await page.screenshot({ path: shot('search.png') });
      await page.locator('main article h2 a').first().click();
      await page.waitForURL(/\/papers\/\d{4}\.\d{5}$/);
      assert.ok((await page.getByRole('heading', { name: 'Similar papers' }).count()) === 1);
      assert.ok((await page.locator('.similar-list li').count()) > 0);

      await page.goto(`${site.url}/search?q=${encodeURIComponent('after:someday x')}`);
      assert.match((await page.getByRole('alert').textContent()) ?? '', /after: needs a date/);
      await page.context().close();
    });
  });
}
