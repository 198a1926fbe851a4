import assert from 'node:assert/strict';
import { type IncomingHttpHeaders, request } from 'node:http';
import { after, before, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { SiteClient } from './helpers/http-client.ts';
import { author, listedOn } from './helpers/records.ts';
import { type RunningSite, startSite } from './helpers/site.ts';

let site: RunningSite;

before(async () => {
  site = await startSite({
    records: [
      listedOn('2026-11-20', '2611.00001', {
        title: 'Reasoning with <think> tokens',
        abstract: 'We stop at <EOS> & study "quotes" in a long abstract. '.repeat(40),
        authors: [author('Ada Lovelace'), author('Alan Turing')],
        githubRepo: 'https://github.com/example/think',
        projectPage: 'https://example.org/think',
      }),
      listedOn('2026-11-20', '2611.00002', { authors: [author('Grace Hopper')] }),
    ],
  });
});
after(async () => {
  await site?.close();
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${site.url}${path}`, { headers });

const KINDS = {
  page: '/papers/date/2026-11-20',
  paper: '/papers/2611.00001',
  api: '/api/daily_papers?date=2026-11-20',
  feed: '/feeds/date/2026-11-20.xml',
};

test('a CORS preflight on the API and the feeds gets 204 with read-only methods and no credentials', async () => {
  for (const path of [KINDS.api, KINDS.feed, '/api/papers/2611.00001']) {
    const response = await fetch(`${site.url}${path}`, {
      method: 'OPTIONS',
      headers: { origin: 'https://client.example', 'access-control-request-method': 'GET' },
    });
    assert.equal(response.status, 204, path);
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
    assert.match(response.headers.get('access-control-allow-methods') ?? '', /GET/);
    assert.doesNotMatch(response.headers.get('access-control-allow-methods') ?? '', /POST/);
    assert.equal(response.headers.get('access-control-allow-credentials'), null);
  }
  const simple = await get(KINDS.api, { origin: 'https://client.example' });
  assert.equal(simple.headers.get('access-control-allow-origin'), '*');
});

test('pages and forms get no CORS headers, and a preflight there is not answered', async () => {
  const page = await get('/', { origin: 'https://client.example' });
  assert.equal(page.headers.get('access-control-allow-origin'), null);
  const preflight = await fetch(`${site.url}/login`, {
    method: 'OPTIONS',
    headers: { origin: 'https://client.example', 'access-control-request-method': 'POST' },
  });
  assert.equal(preflight.status, 404);
  assert.equal(preflight.headers.get('access-control-allow-origin'), null);
});

test('HTML, JSON and XML are compressed with gzip or brotli', async () => {
  const raw = (path: string, encoding: string) =>
    new Promise<{ headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      request(
        `${site.url}${path}`,
        { agent: false, headers: { 'accept-encoding': encoding } },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ headers: response.headers, body: Buffer.concat(chunks) }));
        },
      )
        .on('error', reject)
        .end();
    });
  for (const path of [KINDS.page, KINDS.api, KINDS.feed]) {
    const gzip = await raw(path, 'gzip');
    assert.equal(gzip.headers['content-encoding'], 'gzip', path);
    const plain = await (await get(path)).text();
    const withoutToken = (text: string) => text.replace(/name="_csrf" value="[^"]+"/g, '');
    assert.equal(withoutToken(gunzipSync(gzip.body).toString('utf8')), withoutToken(plain), path);
    assert.equal((await raw(path, 'br')).headers['content-encoding'], 'br', path);
  }
});

test('pages, the API and feeds answer If-None-Match with 304', async () => {
  const client = new SiteClient(site.url);
  await client.get('/'); // a visitor who has their CSRF cookie, so pages with forms are the same each time
  for (const [kind, path] of Object.entries({ ...KINDS, author: '/authors/Ada%20Lovelace', home: '/' })) {
    const first = await client.get(path);
    await first.arrayBuffer();
    const etag = first.headers.get('etag');
    assert.ok(etag, `${kind} has an ETag`);
    const again = await client.get(path, { 'if-none-match': etag });
    assert.equal(again.status, 304, kind);
    assert.equal(await again.text(), '');
    const changed = await client.get(path, { 'if-none-match': 'W/"something-else"' });
    assert.equal(changed.status, 200, kind);
  }
});

test('the API, feeds, assets and pages without a form set no cookie; a page with a form sets the CSRF cookie', async () => {
  for (const path of [
    KINDS.api,
    KINDS.feed,
    '/api/papers/2611.00001',
    '/assets/app.css',
    '/api/openapi.json',
  ]) {
    const response = await get(path);
    assert.equal(response.status, 200, path);
    assert.deepEqual(response.headers.getSetCookie(), [], path);
  }
  const noForm = await get('/api/docs');
  assert.equal(noForm.status, 200);
  assert.deepEqual(noForm.headers.getSetCookie(), []);
  const withForm = await get('/');
  assert.match(withForm.headers.getSetCookie().join(), /dp_csrf=/);
  assert.match(await withForm.text(), /name="_csrf" value="[A-Za-z0-9_-]{32}"/);
});

test('Cache-Control lets shared caches keep anonymous pages without a token, and never a member’s', async () => {
  const anonymous = await get('/api/docs');
  assert.equal(anonymous.headers.get('cache-control'), 'public, max-age=60');
  assert.match(anonymous.headers.get('vary') ?? '', /Cookie/);
  assert.equal((await get(KINDS.api)).headers.get('cache-control'), 'public, max-age=60');
  const withToken = await get('/');
  assert.equal(withToken.headers.get('cache-control'), 'private, no-cache');
  const member = new SiteClient(site.url);
  await member.signUp('cache-reader');
  for (const path of ['/', KINDS.paper, '/api/docs']) {
    assert.equal((await member.get(path)).headers.get('cache-control'), 'private, no-store', path);
  }
});
