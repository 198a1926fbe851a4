// axe-core, loaded from node_modules into each page, on every page of the site in light and dark mode: no serious
// or critical violation may remain.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { startSession } from '../src/services/accounts.ts';
import { addMember } from './helpers/accounts.ts';
import { launchBrowser } from './helpers/browser.ts';
import { author, listedOn } from './helpers/records.ts';
import { type RunningSite, startSite } from './helpers/site.ts';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown[] }>;
}

const ANONYMOUS_PAGES = [
  '/',
  '/papers/trending',
  '/papers/date/2026-11-20',
  '/papers/week/2026-W47',
  '/papers/month/2026-11',
  '/papers/2611.00001',
  '/search?q=reasoning',
  '/search?q=nothing-matches-this',
  '/authors/Ada%20Lovelace',
  '/orgs/acme',
  '/login',
  '/signup',
  '/password/forgot',
  '/no-such-page',
];
const MEMBER_PAGES = ['/', '/papers/2611.00001', '/submit', '/account'];
const ADMIN_PAGES = ['/admin'];

let site: RunningSite;
let browser: Browser;

before(async () => {
  site = await startSite({
    records: [
      listedOn('2026-11-20', '2611.00001', {
        title: 'Reasoning with <think> tokens',
        abstract: 'Ends at <EOS>.',
        authors: [author('Ada Lovelace'), author('Alan Turing')],
        organization: { name: 'acme', fullName: 'Acme Labs', avatarUrl: null },
        githubRepo: 'https://github.com/a/b',
        importedUpvotes: 12,
      }),
      listedOn('2026-11-20', '2611.00002', { title: 'A second paper', authors: [author('Ada Lovelace')] }),
    ],
  });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await site?.close();
});

async function sessionOf(username: string, admin: boolean): Promise<string> {
  return startSession(site.store, await addMember(site.store, username, { admin }));
}

async function serious(path: string, scheme: 'light' | 'dark', session: string | null): Promise<string[]> {
  const context = await browser.newContext({ colorScheme: scheme, bypassCSP: true });
  if (session) await context.addCookies([{ name: 'dp_session', value: session, url: site.url }]);
  const page = await context.newPage();
  try {
    await page.goto(`${site.url}${path}`);
    await page.addScriptTag({ content: AXE_SOURCE });
    const violations = (await page.evaluate(async () => {
      const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: Violation[] }> } }).axe;
      return (await axe.run()).violations;
    })) as Violation[];
    return violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map(
        (violation) =>
          `${path} (${scheme}): ${violation.id} ${violation.help} at ${violation.nodes
            .slice(0, 3)
            .map((node) => JSON.stringify(node.target))
            .join(', ')}`,
      );
  } finally {
    await context.close();
  }
}

test('every page has no serious or critical axe-core violation, in light and dark mode', async () => {
  const member = await sessionOf('reader', false);
  const admin = await sessionOf('keeper', true);
  const found: string[] = [];
  for (const scheme of ['light', 'dark'] as const) {
    for (const path of ANONYMOUS_PAGES) found.push(...(await serious(path, scheme, null)));
    for (const path of MEMBER_PAGES) found.push(...(await serious(path, scheme, member)));
    for (const path of ADMIN_PAGES) found.push(...(await serious(path, scheme, admin)));
  }
  assert.deepEqual(found, []);
});
