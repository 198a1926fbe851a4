// Hostile imported data against the real site (issue 11, items 1, 6, 11 and 12): links with script schemes,
// abstracts built to make rendering slow or huge, control characters that would break feeds, bytes that are not
// UTF-8 and a line too long to hold. Pages are opened in real Chromium: no dialog may open, no script-scheme
// link may exist, and the Content-Security-Policy must not block anything our own pages need.
import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { SaxesParser } from 'saxes';
import { ImportRejectedError, importPapers } from '../../src/services/import-papers.ts';
import { readHfDaily } from '../../src/sources/hf-daily.ts';
import { addMember, TEST_PASSWORD } from '../helpers/accounts.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { runCli } from '../helpers/cli.ts';
import { runDigests } from '../helpers/digests.ts';
import { listedOn } from '../helpers/records.ts';
import { type RunningSite, startSite } from '../helpers/site.ts';
import { linkIn, type SmtpSink, startSmtpSink } from '../helpers/smtp-sink.ts';
import { freshStore, STORE_KINDS } from '../helpers/stores.ts';
import { FIXTURES, tempDir } from '../helpers/temp.ts';

const HOSTILE = join(FIXTURES, 'hostile');
const XSS_FILE = join(HOSTILE, 'xss-links.jsonl');
/** Links in xss-links.jsonl that are not http(s): four on the first paper, two on the second, one on the third. */
const BAD_LINKS = 7;
const BOMB_PAPER = '2605.00004';
const STORED_PAPER = '2605.00006';
const BOMB = '\\('.repeat(50_000);

const importXssFixture = (store: Parameters<typeof importPapers>[0]) =>
  importPapers(store, readHfDaily(createReadStream(XSS_FILE), 'xss-links.jsonl'));

/** An hf-daily JSONL day of one entry, with the paper's fields overridden. */
function hfDay(paper: Record<string, unknown>): Readable {
  const entry = {
    paper: { id: '2605.00099', title: 'T', summary: 'S', authors: [{ name: 'A' }], ...paper },
    numComments: 0,
  };
  return Readable.from([`${JSON.stringify({ date: '2026-05-04', response: [entry] })}\n`]);
}

for (const kind of STORE_KINDS) {
  describe(`imports on ${kind}`, () => {
    test('links that are not http(s) are dropped and counted; good links and text are kept', async (t) => {
      const store = await freshStore(kind, t);
      const summary = await importXssFixture(store);
      assert.equal(summary.inserted, 3);
      assert.equal(summary.droppedLinks, BAD_LINKS);
      const first = await store.papers.getPaper('2605.00001');
      assert.equal(first?.githubRepo, null);
      assert.equal(first?.projectPage, null);
      assert.equal(first?.thumbnail, null);
      assert.equal(first?.organization?.avatarUrl, null);
      assert.equal(first?.title, 'Hostile links with a control character', 'U+0001 is stripped at import');
      const third = await store.papers.getPaper('2605.00003');
      assert.equal(third?.githubRepo, 'https://github.com/example/good');
      assert.equal(third?.projectPage, null);
    });

    test('over-long text is a per-record error: all or nothing, or skipped with skipBad', async (t) => {
      const store = await freshStore(kind, t);
      await assert.rejects(
        importPapers(store, readHfDaily(hfDay({ title: 'x'.repeat(1_001) }), 'long.jsonl')),
        (error: Error) =>
          error instanceof ImportRejectedError &&
          /long\.jsonl: line 1, entry 1: title is 1,001 characters long \(the limit is 1,000\)/.test(
            error.message,
          ),
      );
      const skipped = await importPapers(store, readHfDaily(hfDay({ summary: BOMB }), 'bomb.jsonl'), {
        skipBad: true,
      });
      assert.equal(skipped.bad, 1);
      assert.match(skipped.errors[0]?.message ?? '', /abstract is 100,000 characters long/);
      assert.equal(await store.papers.countPapers(), 0);
    });
  });
}

test('the CLI import says how many links it dropped', async () => {
  const run = await runCli(['import', 'hf-daily', XSS_FILE], { DATABASE_URL: join(tempDir(), 'cli.db') });
  assert.equal(run.code, 0, run.stderr);
  assert.match(
    run.stderr,
    new RegExp(`3 new, .*${BAD_LINKS} links dropped \\(only http/https links are kept\\)`),
  );
});

test('bytes that are not UTF-8 and a line over 16 MiB are errors naming the file and line', async () => {
  const env = { DATABASE_URL: join(tempDir(), 'cli.db') };
  const invalid = await runCli(['import', 'arxiv-jsonl', join(HOSTILE, 'invalid-utf8.jsonl')], env);
  assert.equal(invalid.code, 1, invalid.stderr);
  assert.match(invalid.stderr, /invalid-utf8\.jsonl: line 2: not valid UTF-8/);
  assert.match(invalid.stderr, /nothing was imported/);

  const huge = await runCli(
    ['import', 'arxiv-jsonl', join(HOSTILE, 'huge-line.jsonl.gz'), '--skip-bad'],
    env,
  );
  assert.equal(huge.code, 0, huge.stderr);
  assert.match(huge.stderr, /huge-line\.jsonl\.gz: line 2: line is longer than 16 MiB/);
  assert.match(huge.stderr, /2 new/, 'the lines around it are imported');
});

/** Every XML well-formedness error saxes finds in a document. */
function xmlErrors(xml: string): string[] {
  const errors: string[] = [];
  const parser = new SaxesParser();
  parser.on('error', (error) => errors.push(error.message));
  parser.write(xml).close();
  return errors;
}

for (const kind of STORE_KINDS) {
  describe(`the site on ${kind}`, () => {
    let site: RunningSite;
    let sink: SmtpSink;
    let browser: Browser;
    let digestUrl: string;

    before(async () => {
      sink = await startSmtpSink();
      site = await startSite({
        store: kind,
        env: { SMTP_URL: sink.url },
        prepare: async (store) => {
          await importXssFixture(store);
          // Stored before imports had length limits: it must still render fast and small.
          await store.papers.writeBatch([
            listedOn('2026-05-04', BOMB_PAPER, { title: 'Hostile rendering bomb', abstract: BOMB }),
          ]);
          // Links stored before imports checked them: pages, mails and the API must refuse them when rendering.
          await store.papers.writeBatch([
            listedOn('2026-05-04', STORED_PAPER, {
              title: 'Hostile stored links',
              importedUpvotes: 950,
              githubRepo: 'javascript:alert(document.domain)//',
              projectPage: '  javascript:alert(document.domain)//',
              pdfUrl: 'javascript:alert(document.domain)',
              thumbnail: 'javascript:alert(document.domain)',
              organization: { name: 'stored-evil', fullName: null, avatarUrl: 'javascript:alert(1)' },
            }),
          ]);
          // Stored text with a control character (imports strip them now): the feeds must stay valid.
          await store.papers.writeBatch([
            listedOn('2026-05-04', '2605.00005', { title: 'Hostile \u0001 control', importedUpvotes: 1 }),
          ]);
        },
      });
      const now = new Date().toISOString();
      const subscription = await site.store.subscriptions.createSubscription(
        {
          email: 'victim@example.org',
          frequency: 'daily',
          topics: { queries: [], authors: [], organizations: [] },
          memberId: null,
        },
        now,
      );
      await site.store.subscriptions.updateSubscription(subscription.id, { status: 'active' }, now);
      await runDigests(site, { frequency: 'daily', day: '2026-05-05' });
      const digest = sink.messages.find((mail) => mail.to.includes('victim@example.org'));
      assert.ok(digest, 'the digest was sent');
      const mailBody = `${digest.parsed.html}\n${digest.parsed.text}`;
      assert.doesNotMatch(mailBody, /javascript:|data:text/i, 'the mail has no script links');
      assert.match(
        digest.parsed.html || '',
        /<strong>x<\/strong> improves recall by 58–75%/,
        'text-mode in mails',
      );
      assert.match(digest.parsed.text || '', /x improves recall by 58–75%/);
      digestUrl = linkIn(digest, '/digests/');
      browser = await launchBrowser();
    });
    after(async () => {
      await browser?.close();
      await site?.close();
      await sink?.close();
    });

    /** Opens a page, failing on any dialog, script error or CSP violation, and checks every link's scheme. */
    async function visit(page: Page, path: string, problems: string[]): Promise<void> {
      const response = await page.goto(path.startsWith('http') ? path : `${site.url}${path}`);
      assert.equal(response?.status(), 200, path);
      const schemes = await page.evaluate(() =>
        [...document.querySelectorAll('[href], [src]')].map((element) =>
          String((element as HTMLAnchorElement).href || (element as HTMLImageElement).src || '').slice(0, 40),
        ),
      );
      for (const url of schemes) {
        assert.match(url, /^https?:\/\//, `${path}: only http(s) links and sources (${url})`);
      }
      assert.deepEqual(problems, [], path);
    }

    async function watchedPage(): Promise<{ page: Page; problems: string[] }> {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('dialog', async (dialog) => {
        problems.push(`a dialog opened: ${dialog.message()}`);
        await dialog.dismiss();
      });
      page.on('pageerror', (error) => problems.push(`script error: ${error.message}`));
      page.on('console', (message) => {
        // A missing favicon is logged as a failed load; a refused one (CSP) is "Refused to …".
        if (message.type() === 'error' && !/^Failed to load resource/.test(message.text())) {
          problems.push(`console: ${message.text()}`);
        }
      });
      return { page, problems };
    }

    test('no imported link runs script: paper page, lists, search, profile, digest page', async () => {
      const { page, problems } = await watchedPage();
      for (const path of [
        '/papers/2605.00001',
        '/papers/2605.00002',
        '/papers/2605.00003',
        `/papers/${STORED_PAPER}`,
        '/papers/date/2026-05-04',
        '/papers/week/2026-W19',
        '/search?q=hostile',
        '/orgs/evil-lab',
        '/orgs/stored-evil',
        digestUrl,
      ]) {
        await visit(page, path, problems);
      }
      await page.goto(`${site.url}/papers/2605.00003`);
      assert.equal(
        await page.getByRole('link', { name: 'GitHub' }).getAttribute('href'),
        'https://github.com/example/good',
      );
      // The outbound links left on the most hostile papers are arXiv's own.
      for (const id of ['2605.00001', STORED_PAPER]) {
        await page.goto(`${site.url}/papers/${id}`);
        for (const link of await page.locator('main a[rel~="noopener"]').all()) {
          assert.match((await link.getAttribute('href')) ?? '', /^https:\/\/arxiv\.org\//);
        }
      }
      const api = (await (await fetch(`${site.url}/api/papers/${STORED_PAPER}`)).json()) as Record<
        string,
        unknown
      >;
      assert.doesNotMatch(JSON.stringify(api), /javascript:/i, 'the API serves no script links');
      assert.deepEqual(problems, []);
      await page.context().close();
    });

    test('every page carries the security headers; the digest page keeps its mail styles only', async () => {
      for (const path of ['/', '/papers/2605.00001', '/search?q=hostile', '/login', '/no-such-page']) {
        const response = await fetch(`${site.url}${path}`);
        const csp = response.headers.get('content-security-policy') ?? '';
        assert.match(csp, /script-src 'self'/, path);
        assert.match(csp, /frame-ancestors 'none'/, path);
        assert.match(csp, /object-src 'none'/, path);
        assert.match(csp, /base-uri 'self'/, path);
        assert.match(csp, /form-action 'self'/, path);
        assert.doesNotMatch(csp, /script-src[^;]*unsafe/, path);
        assert.equal(response.headers.get('x-content-type-options'), 'nosniff', path);
        assert.equal(response.headers.get('referrer-policy'), 'strict-origin-when-cross-origin', path);
      }
      const digest = await fetch(digestUrl);
      assert.equal(digest.status, 200);
      assert.match(digest.headers.get('content-security-policy') ?? '', /script-src 'none'/);
    });

    test('our own pages need nothing the policy forbids: math, lists, forms, theme toggle, upvotes', async () => {
      const { page, problems } = await watchedPage();
      await visit(page, '/papers/2605.00001', problems);
      assert.ok(await page.locator('.abstract .katex').first().isVisible(), 'math is typeset');
      assert.equal(
        await page.locator('.abstract strong').first().textContent(),
        'x',
        '\\textbf renders bold',
      );
      assert.match((await page.locator('.abstract p').first().textContent()) ?? '', /58–75%/);
      const strut = await page
        .locator('.abstract .katex-html [style]')
        .first()
        .evaluate((element) => {
          return (element as HTMLElement).style.height;
        });
      assert.ok(strut, 'KaTeX style attributes apply');
      for (const path of [
        '/',
        '/papers/trending',
        '/search?q=hostile',
        '/login',
        '/signup',
        '/subscribe',
        '/api/docs',
      ]) {
        await visit(page, path, problems);
      }
      await page.goto(`${site.url}/`);
      const toggle = page.locator('#theme-toggle');
      await toggle.click();
      assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');

      // A confirmed member logs in through the form (sign-up itself waits for a confirmation mail).
      await addMember(site.store, `voter${kind}`);
      await page.goto(`${site.url}/login`);
      await page.locator('input[name="username"]').fill(`voter${kind}`);
      await page.locator('input[name="password"]').fill(TEST_PASSWORD);
      await page.locator('main form button[type="submit"]').first().click();
      await page.waitForURL(/\/$|\/papers\//);
      await page.goto(`${site.url}/papers/2605.00003`);
      const before = Number(await page.locator('main form.upvote .count').first().textContent());
      await page.locator('main form.upvote button').first().click();
      await page.waitForFunction(
        () => document.querySelector('main form.upvote button')?.getAttribute('aria-pressed') === 'true',
      );
      assert.equal(Number(await page.locator('main form.upvote .count').first().textContent()), before + 1);
      assert.equal(page.url(), `${site.url}/papers/2605.00003`, 'upvoted by the script, no reload');
      assert.deepEqual(problems, []);
      await page.context().close();
    });

    test('an abstract of 50,000 "\\(" is served, as text, in a page of bounded size', async () => {
      const response = await fetch(`${site.url}/papers/${BOMB_PAPER}`);
      assert.equal(response.status, 200);
      const page = await response.text();
      assert.ok(page.length < BOMB.length + 50_000, `page of ${page.length} characters`);
      assert.ok(page.includes(BOMB.slice(0, 1_000)), 'the abstract is shown as text');
      assert.equal((await fetch(`${site.url}/papers/date/2026-05-04`)).status, 200);
    });

    test('a control character in stored titles leaves RSS and Atom valid XML', async () => {
      for (const path of ['/feeds/daily.xml', '/feeds/daily.atom', '/feeds/date/2026-05-04.xml']) {
        const response = await fetch(`${site.url}${path}`);
        assert.equal(response.status, 200, path);
        const xml = await response.text();
        assert.match(xml, /Hostile {1,2}control/, `${path} lists the paper`);
        assert.deepEqual(xmlErrors(xml), [], path);
        assert.match(xml, /(<|&lt;)strong(>|&gt;)x(<|&lt;)\/strong(>|&gt;) improves recall by 58–75%/, path);
      }
    });
  });
}
