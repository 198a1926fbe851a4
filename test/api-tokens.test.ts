// Personal API tokens over real HTTP: made and revoked on the account page, used as `Authorization: Bearer`.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SiteClient } from '../scripts/lib/http-client.ts';
import { API_TOKEN_LIMIT } from '../src/services/api-tokens.ts';
import { listedOn } from './helpers/records.ts';
import { type RunningSite, startSite } from './helpers/site.ts';

let site: RunningSite;

before(async () => {
  site = await startSite({
    records: [listedOn('2026-11-23', '2611.00001'), listedOn('2026-11-23', '2611.00002')],
  });
});
after(async () => {
  await site?.close();
});

/** Creates a token through the account page's form and reads it from the page, where it is shown once. */
async function createToken(client: SiteClient, name: string): Promise<string> {
  const response = await client.postForm('/account/tokens', { name });
  const page = await response.text();
  assert.equal(response.status, 201, page);
  assert.equal(response.headers.get('cache-control'), 'no-store');
  const token = /data-testid="new-token">(dp_[A-Za-z0-9_-]+)</.exec(page)?.[1];
  assert.ok(token, 'the page shows the new token');
  assert.match(page, /Private “For you” feed/, 'the rest of the account page stays');
  return token;
}

const withBearer = (token: string, method = 'GET') => ({
  method,
  headers: { authorization: `Bearer ${token}` },
});

describe('personal API tokens', () => {
  test('a token made on the account page acts as its member, without cookie or CSRF token', async () => {
    const browser = new SiteClient(site.url);
    await site.member(browser, 'tokenada');
    const token = await createToken(browser, 'my script');
    const account = await (await browser.get('/account')).text();
    assert.match(account, /my script/);
    assert.match(account, /never used/);
    assert.doesNotMatch(account, new RegExp(token), 'never shown again');
    const exported = await (await browser.get('/account/export')).text();
    assert.deepEqual(
      (JSON.parse(exported) as { apiTokens: Array<{ name: string }> }).apiTokens.map((item) => item.name),
      ['my script'],
    );
    assert.doesNotMatch(exported, /dp_|token_hash/, 'names and dates only');

    const me = await fetch(`${site.url}/api/me`, withBearer(token));
    assert.equal(me.status, 200);
    assert.equal(me.headers.get('set-cookie'), null);
    assert.deepEqual(
      { ...((await me.json()) as object), createdAt: undefined },
      {
        type: 'user',
        name: 'tokenada',
        email: 'tokenada@example.org',
        emailVerified: true,
        role: 'member',
        createdAt: undefined,
        authorOf: [],
      },
    );

    const upvote = await fetch(`${site.url}/api/papers/2611.00001/upvote`, withBearer(token, 'POST'));
    assert.equal(upvote.status, 200);
    assert.deepEqual(await upvote.json(), { upvotes: 1, upvoted: true });
    const again = await fetch(`${site.url}/api/papers/2611.00001/upvote`, withBearer(token, 'POST'));
    assert.deepEqual(await again.json(), { upvotes: 1, upvoted: true }, 'once per member');
    const undo = await fetch(`${site.url}/api/papers/2611.00001/upvote`, withBearer(token, 'DELETE'));
    assert.deepEqual(await undo.json(), { upvotes: 0, upvoted: false });
    assert.match(await (await browser.get('/account')).text(), /last used/);

    const missing = await fetch(`${site.url}/api/papers/2699.99999/upvote`, withBearer(token, 'POST'));
    assert.equal(missing.status, 404);
    assert.ok(((await missing.json()) as { error: string }).error);
  });

  test('bad, malformed and revoked tokens get a 401 with WWW-Authenticate, never a 500', async () => {
    const browser = new SiteClient(site.url);
    await site.member(browser, 'tokenbob');
    const token = await createToken(browser, 'soon revoked');
    const credentials = [
      `dp_${'A'.repeat(43)}`,
      'dp_short',
      '',
      'x'.repeat(5000),
      `${token}x`,
      `${token} ${token}`,
      '%00%ff',
      'dp_\u00e9\u00e9',
    ];
    for (const credential of credentials) {
      for (const [method, path] of [
        ['GET', '/api/me'],
        ['POST', '/api/papers/2611.00001/upvote'],
        ['GET', '/'],
      ] as const) {
        const response = await fetch(`${site.url}${path}`, {
          method,
          headers: { authorization: `Bearer ${credential}` },
        });
        assert.equal(response.status, 401, `${method} ${path} with ${credential.slice(0, 20)}`);
        assert.match(
          response.headers.get('www-authenticate') ?? '',
          /^Bearer realm="Dailypapers", error="invalid_token"/,
        );
        assert.ok(((await response.json()) as { error: string }).error);
      }
    }
    const id = /action="\/account\/tokens\/(\d+)\/revoke"/.exec(
      await (await browser.get('/account')).text(),
    )?.[1];
    assert.ok(id);
    assert.equal((await browser.postForm(`/account/tokens/${id}/revoke`, {})).status, 303);
    assert.equal((await fetch(`${site.url}/api/me`, withBearer(token))).status, 401);
    assert.equal((await browser.postForm(`/account/tokens/${id}/revoke`, {})).status, 404, 'gone already');
    assert.equal((await browser.postForm('/account/tokens/abc/revoke', {})).status, 404);

    const anonymous = await fetch(`${site.url}/api/me`);
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.headers.get('www-authenticate'), 'Bearer realm="Dailypapers"');
    const basic = await fetch(`${site.url}/api/me`, { headers: { authorization: 'Basic YTpi' } });
    assert.equal(basic.status, 401, 'another scheme (a proxy’s) is not ours: the request is anonymous');
    assert.equal((await fetch(`${site.url}/`, { headers: { authorization: 'Basic YTpi' } })).status, 200);
  });

  test('a cookie session still needs the CSRF token, on POST and DELETE alike', async () => {
    const browser = new SiteClient(site.url);
    await site.member(browser, 'tokencarol');
    await browser.get('/');
    const post = (csrf: boolean, method = 'POST') =>
      browser.request('/api/papers/2611.00002/upvote', {
        method,
        headers: { accept: 'application/json', ...(csrf && { 'x-csrf-token': browser.csrfToken }) },
      });
    assert.equal((await post(false)).status, 403);
    assert.equal((await post(false, 'DELETE')).status, 403);
    assert.deepEqual(await (await post(true)).json(), { upvotes: 1, upvoted: true });
    assert.deepEqual(await (await post(true, 'DELETE')).json(), { upvotes: 0, upvoted: false });
  });

  test('tokens are named, limited per member, and made only from a session', async () => {
    const browser = new SiteClient(site.url);
    await site.member(browser, 'tokendave');
    const empty = await browser.postForm('/account/tokens', { name: '   ' });
    assert.equal(empty.status, 400);
    const emptyPage = await empty.text();
    assert.match(emptyPage, /give the token a name/);
    assert.match(emptyPage, /Private “For you” feed/);
    assert.equal((await browser.postForm('/account/tokens', { name: 'x'.repeat(61) })).status, 400);
    const tokens = [];
    for (let i = 0; i < API_TOKEN_LIMIT; i++) tokens.push(await createToken(browser, `token ${i}`));
    const over = await browser.postForm('/account/tokens', { name: 'one too many' });
    assert.equal(over.status, 400);
    assert.match(await over.text(), /revoke one you no longer use first/);

    const byToken = await fetch(`${site.url}/account/tokens`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${tokens[0]}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: 'name=sneaky',
    });
    assert.equal(byToken.status, 401, 'a token cannot make tokens');
  });

  test('rate limits count per member, whichever token or session the requests come with', async () => {
    const browser = new SiteClient(site.url);
    await site.member(browser, 'tokeneve');
    const [first, second] = [await createToken(browser, 'a'), await createToken(browser, 'b')];
    const statuses: number[] = [];
    for (let i = 0; i < 121; i++) {
      const token = i % 2 === 0 ? first : second;
      const method = i % 4 < 2 ? 'POST' : 'DELETE';
      const response = await fetch(`${site.url}/api/papers/2611.00002/upvote`, withBearer(token, method));
      statuses.push(response.status);
      await response.arrayBuffer();
    }
    assert.equal(statuses.filter((status) => status === 200).length, 120);
    assert.equal(statuses.at(-1), 429);
  });
});
