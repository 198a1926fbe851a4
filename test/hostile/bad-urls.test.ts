// A URL whose percent-encoding is no UTF-8 is refused before routing: a 400 page for a browser, JSON for the API.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type RunningSite, startSite } from '../helpers/site.ts';

let site: RunningSite;
before(async () => {
  site = await startSite();
});
after(async () => {
  await site?.close();
});

test('a page address that is no UTF-8 gets the site’s 400 page', async () => {
  const response = await fetch(`${site.url}/authors/%E0%A4%A`);
  assert.equal(response.status, 400);
  assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
  const page = await response.text();
  assert.match(page, /<html lang="en">/);
  assert.match(page, /<title>[^<]*Bad request/);
  assert.match(response.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
  assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
});

test('an API address that is no UTF-8 gets a JSON 400 naming the problem', async () => {
  const response = await fetch(`${site.url}/api/papers/%E0%A4%A`);
  assert.equal(response.status, 400);
  const body = (await response.json()) as { error: string };
  assert.match(body.error, /not a valid url component/);
});
