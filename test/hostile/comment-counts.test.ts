// One comment count with one meaning: a member comments three times in Chromium, and the card, the paper page and
// the API all say 3; Hugging Face's imported count is shown apart, never added in.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { createAccount, startSession } from '../../src/services/accounts.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { listedOn } from '../helpers/records.ts';
import { type RunningSite, startSite } from '../helpers/site.ts';
import { STORE_KINDS } from '../helpers/stores.ts';

const DAY = '2026-11-23';
const PAPER = '2611.00031';

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
after(() => browser?.close());

for (const kind of STORE_KINDS) {
  describe(`comment counts on ${kind}`, () => {
    let site: RunningSite;
    before(async () => {
      site = await startSite({
        store: kind,
        records: [listedOn(DAY, PAPER, { title: 'Counting comments', importedComments: 2 })],
      });
    });
    after(() => site?.close());

    test('after three comments the card, the paper page and the API agree on 3', async () => {
      const member = await createAccount(site.store, {
        username: 'counter',
        email: 'counter@example.org',
        password: 'a long unusual passphrase 7x',
      });
      const context = await browser.newContext();
      await context.addCookies([
        { name: 'dp_session', value: await startSession(site.store, member), url: site.url },
      ]);
      const page = await context.newPage();
      const card = () => page.locator(`a[href="/papers/${PAPER}#comments"]`);

      await page.goto(`${site.url}/papers/date/${DAY}`);
      assert.equal((await card().textContent())?.trim(), '0 comments');
      assert.match((await page.locator('.imported-comments').textContent()) ?? '', /^2 on Hugging Face$/);

      await page.goto(`${site.url}/papers/${PAPER}`);
      for (const text of ['First thought.', 'Second thought.', 'Third thought.']) {
        await page.getByLabel('Add a comment').fill(text);
        await Promise.all([
          page.waitForURL(/#comment-\d+$/),
          page.getByRole('button', { name: 'Comment', exact: true }).click(),
        ]);
      }
      assert.equal((await page.locator('#comments-title').textContent())?.trim(), '3 comments');
      assert.equal(await page.locator('.comment').count(), 3);
      assert.match(
        (await page.locator('.comments .imported-comments').textContent()) ?? '',
        /2 on Hugging Face/,
      );

      await page.goto(`${site.url}/papers/date/${DAY}`);
      assert.equal((await card().textContent())?.trim(), '3 comments');

      const api = (await (await fetch(`${site.url}/api/papers/${PAPER}`)).json()) as { numComments: number };
      assert.equal(api.numComments, 3);
      await context.close();
    });
  });
}
