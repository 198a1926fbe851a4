// Debian's Chromium driven by playwright-core; screenshots go to test-artifacts/.
import { mkdirSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

export const ARTIFACTS = new URL('../../test-artifacts/', import.meta.url).pathname;

export async function launchBrowser(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
