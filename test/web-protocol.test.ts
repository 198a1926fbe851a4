import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { type IncomingHttpHeaders, request } from 'node:http';
import { after, before, test } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { SaxesParser } from 'saxes';
import { SiteClient } from '../scripts/lib/http-client.ts';
import { addMember, logIn } from './helpers/accounts.ts';
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

/** A GET asking for `encoding`, its body as sent (node's fetch would decode it). */
const raw = (path: string, encoding: string) =>
  new Promise<{ headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    request(`${site.url}${path}`, { agent: false, headers: { 'accept-encoding': encoding } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ headers: response.headers, body: Buffer.concat(chunks) }));
    })
      .on('error', reject)
      .end();
  });

test('HTML, JSON and XML are compressed with gzip or brotli', async () => {
  for (const path of [KINDS.page, KINDS.api, KINDS.feed]) {
    const gzip = await raw(path, 'gzip');
    assert.equal(gzip.headers['content-encoding'], 'gzip', path);
    const plain = await (await get(path)).text();
    const withoutToken = (text: string) => text.replace(/name="_csrf" value="[^"]+"/g, '');
    assert.equal(withoutToken(gunzipSync(gzip.body).toString('utf8')), withoutToken(plain), path);
    assert.equal((await raw(path, 'br')).headers['content-encoding'], 'br', path);
  }
});

test('kept pages, API lists and feeds are sent compressed as asked, and fresh once the data changed', async () => {
  const decode = (answer: { headers: IncomingHttpHeaders; body: Buffer }) =>
    (answer.headers['content-encoding'] === 'br'
      ? brotliDecompressSync(answer.body)
      : gunzipSync(answer.body)
    ).toString('utf8');
  const check = async (marker: RegExp | null) => {
    for (const path of [KINDS.page, KINDS.api, KINDS.feed]) {
      const plain = await (await get(path)).text();
      if (marker) assert.match(plain, marker, path);
      // Asked again and again: from the second time on the kept compressed body answers.
      for (const encoding of ['gzip', 'br', 'gzip', 'br', 'gzip;q=0.5, br;q=0.1', 'identity']) {
        const answer = await raw(path, encoding);
        const expected = encoding.startsWith('gzip') ? 'gzip' : encoding === 'br' ? 'br' : undefined;
        assert.equal(answer.headers['content-encoding'], expected, `${path} ${encoding}`);
        assert.equal(expected ? decode(answer) : answer.body.toString('utf8'), plain, `${path} ${encoding}`);
        if (expected) assert.match(String(answer.headers.vary), /accept-encoding/i, path);
      }
    }
  };
  await check(null);
  await site.store.papers.writeBatch([
    listedOn('2026-11-20', '2611.00004', {
      title: 'Listed after the compressed pages were kept',
      importedUpvotes: 99,
    }),
  ]);
  await check(/2611\.00004/);
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

test('a page kept for anonymous readers carries the ETag of its bytes, a new one once the data changed', async () => {
  const etagOf = (body: Buffer) => `W/"${createHash('sha1').update(body).digest('base64')}"`;
  const fetchDay = async () => {
    const response = await get(KINDS.page);
    return { etag: response.headers.get('etag'), body: Buffer.from(await response.arrayBuffer()) };
  };
  const rendered = await fetchDay();
  const kept = await fetchDay();
  assert.equal(rendered.etag, etagOf(rendered.body));
  assert.equal(kept.etag, etagOf(kept.body));
  assert.equal(kept.etag, rendered.etag);
  await site.store.papers.writeBatch([
    listedOn('2026-11-20', '2611.00003', { title: 'A paper listed after the page was kept' }),
  ]);
  const changed = await fetchDay();
  assert.match(changed.body.toString('utf8'), /A paper listed after the page was kept/);
  assert.equal(changed.etag, etagOf(changed.body));
  assert.notEqual(changed.etag, rendered.etag);
  assert.equal((await get(KINDS.page, { 'if-none-match': rendered.etag ?? '' })).status, 200);
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
  const withForm = await get('/login');
  assert.match(withForm.headers.getSetCookie().join(), /dp_csrf=/);
  assert.match(await withForm.text(), /name="_csrf" value="[A-Za-z0-9_-]{32}"/);
});

/** The pages anonymous visitors get alike: lists and papers, with the subscribe form. */
const SHARED_PAGES = ['/', KINDS.page, KINDS.paper, '/papers/week/2026-W47', '/subscribe', '/search?q=think'];

test('anonymous list and paper pages carry no token and set no cookie, so a CDN keeps them; a member’s stay private', async () => {
  for (const path of SHARED_PAGES) {
    const response = await get(path);
    assert.equal(response.status, 200, path);
    assert.deepEqual(response.headers.getSetCookie(), [], path);
    assert.equal(response.headers.get('cache-control'), 'public, max-age=0, s-maxage=60', path);
    assert.match(response.headers.get('vary') ?? '', /Cookie/, path);
    const page = await response.text();
    assert.doesNotMatch(page, /name="_csrf"/, path);
    if (path !== '/search?q=think') assert.match(page, /action="\/subscribe"/, path);
    // Two visitors get the same bytes.
    assert.equal(await (await get(path)).text(), page, path);
  }
  assert.equal((await get(KINDS.api)).headers.get('cache-control'), 'public, max-age=60');
  const withToken = await get('/login');
  assert.equal(withToken.headers.get('cache-control'), 'private, no-cache');
  const member = new SiteClient(site.url);
  await addMember(site.store, 'cache-reader');
  await logIn(member, 'cache-reader');
  for (const path of ['/', KINDS.paper, '/api/docs']) {
    assert.equal((await member.get(path)).headers.get('cache-control'), 'private, no-store', path);
  }
});

test('an anonymous subscribe posted from this site is taken without a token; one from another site is refused', async () => {
  const post = (email: string, headers: Record<string, string>) =>
    fetch(`${site.url}/subscribe`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams({ email, frequency: 'daily', next: KINDS.page }),
    });
  const own = await post('own-site@example.org', { origin: site.url, 'sec-fetch-site': 'same-origin' });
  assert.equal(own.status, 200);
  assert.match(await own.text(), /Check your inbox/i);
  assert.equal(
    (await site.store.subscriptions.findSubscriptionByEmail('own-site@example.org'))?.status,
    'pending',
  );
  const refusals: Record<string, string>[] = [
    { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
    { 'sec-fetch-site': 'same-site', origin: 'https://sub.127.0.0.1.example' },
    { origin: 'https://evil.example' },
    { origin: 'null' },
    { referer: 'https://evil.example/page' },
  ];
  for (const [index, headers] of refusals.entries()) {
    const email = `cross-site-${index}@example.org`;
    const refused = await post(email, headers);
    assert.equal(refused.status, 403, JSON.stringify(headers));
    assert.match(await refused.text(), /sent from another site/, JSON.stringify(headers));
    assert.equal(await site.store.subscriptions.findSubscriptionByEmail(email), null);
  }
  // No browser, no visitor's cookies: a plain client may subscribe; the confirmation mail guards the address.
  assert.equal((await post('plain-client@example.org', {})).status, 200);
});

test('a member’s subscribe form carries the token, and their post without it is refused', async () => {
  const member = new SiteClient(site.url);
  await addMember(site.store, 'subscriber-member');
  await logIn(member, 'subscriber-member');
  const page = await (await member.get(KINDS.page)).text();
  assert.match(
    page,
    /action="\/subscribe"[^>]*>\s*<input type="hidden" name="_csrf" value="[A-Za-z0-9_-]{32}"/,
  );
  const refused = await member.postForm(
    '/subscribe',
    { email: 'member-csrf@example.org', frequency: 'daily' },
    { csrf: false },
  );
  assert.equal(refused.status, 403);
  const taken = await member.postForm('/subscribe', { email: 'member-csrf@example.org', frequency: 'daily' });
  assert.equal(taken.status, 200);
});

test('GET /papers/{id}.md is the paper as Markdown; .bib is BibTeX, linked from the paper page', async () => {
  const markdown = await get('/papers/2611.00001v2.md');
  assert.equal(markdown.status, 200);
  assert.match(markdown.headers.get('content-type') ?? '', /^text\/markdown/);
  const text = await markdown.text();
  assert.match(text, /^# Reasoning with <think> tokens\n/);
  assert.match(text, /\*\*Authors:\*\* Ada Lovelace, Alan Turing/);
  assert.match(text, /## Abstract\n\nWe stop at <EOS> & study "quotes"/);
  assert.match(text, /https:\/\/github\.com\/example\/think/);

  const bib = await get('/papers/2611.00001.bib');
  assert.equal(bib.status, 200);
  assert.match(bib.headers.get('content-type') ?? '', /^application\/x-bibtex/);
  const entry = await bib.text();
  assert.match(entry, /^@misc\{lovelace\d{0,4}reasoning,\n/);
  assert.match(entry, /title = \{\{Reasoning with <think> tokens\}\}/);
  assert.match(entry, /author = \{Lovelace, Ada and Turing, Alan\}/);
  assert.match(entry, /eprint = \{2611\.00001\}/);
  assert.match(entry, /archivePrefix = \{arXiv\}/);
  assert.match(entry, /\n\}\n$/);
  assert.match(await (await get('/papers/2611.00001')).text(), /href="\/papers\/2611\.00001\.bib"/);

  for (const path of ['/papers/2699.99999.md', '/papers/nonsense.bib']) {
    assert.equal((await get(path)).status, 404, path);
  }
});

test('GET /api/arxiv/{id}/repos gives our linked code and empty model, dataset and Space lists', async () => {
  const response = await get('/api/arxiv/2611.00001/repos');
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), {
    models: [],
    datasets: [],
    spaces: [],
    githubRepo: 'https://github.com/example/think',
    projectPage: 'https://example.org/think',
  });
  assert.deepEqual(await (await get('/api/arxiv/2611.00002/repos')).json(), {
    models: [],
    datasets: [],
    spaces: [],
  });
  assert.equal((await get('/api/arxiv/2699.99999/repos')).status, 404);
  assert.equal((await get('/api/arxiv/2611.00001/other')).status, 404);
});

test('paper pages carry Highwire citation tags and a ScholarlyArticle in JSON-LD', async () => {
  const page = await (await get('/papers/2611.00001')).text();
  const meta = (name: string) =>
    [...page.matchAll(new RegExp(`<meta name="${name}" content="([^"]*)">`, 'g'))].map((match) => match[1]);
  assert.deepEqual(meta('citation_title'), ['Reasoning with &lt;think&gt; tokens']);
  assert.deepEqual(meta('citation_author'), ['Ada Lovelace', 'Alan Turing']);
  assert.deepEqual(meta('citation_arxiv_id'), ['2611.00001']);
  assert.deepEqual(meta('citation_pdf_url'), ['https://arxiv.org/pdf/2611.00001']);
  assert.deepEqual(meta('citation_abstract_html_url'), [`${site.url}/papers/2611.00001`]);
  const json = /<script type="application\/ld\+json">(.*?)<\/script>/s.exec(page)?.[1];
  assert.ok(json);
  assert.doesNotMatch(json, /<\/?(script|think)/i, 'nothing in it can close the element');
  const article = JSON.parse(json) as Record<string, unknown>;
  assert.equal(article['@type'], 'ScholarlyArticle');
  assert.equal(article.name, 'Reasoning with <think> tokens');
  assert.deepEqual(article.author, [
    { '@type': 'Person', name: 'Ada Lovelace' },
    { '@type': 'Person', name: 'Alan Turing' },
  ]);
});

test('robots.txt points to the sitemap; the favicon is served', async () => {
  const robots = await (await get('/robots.txt')).text();
  assert.match(robots, /^User-agent: \*$/m);
  assert.match(robots, new RegExp(`^Sitemap: ${site.url}/sitemap.xml$`, 'm'));
  const icon = await get('/favicon.ico');
  assert.equal(icon.status, 200);
  assert.equal(icon.headers.get('content-type'), 'image/svg+xml');
  assert.match(await icon.text(), /^<svg/);
  assert.equal((await get('/assets/favicon.svg')).status, 200);
  assert.match(await (await get('/')).text(), /<link rel="icon" href="\/assets\/favicon.svg"/);
});

function locs(xml: string, element: 'sitemap' | 'url'): string[] {
  const found: string[] = [];
  let inside = false;
  let text = '';
  const parser = new SaxesParser({ xmlns: true });
  parser.on('opentag', (tag) => {
    if (tag.local === 'loc') {
      inside = true;
      text = '';
    }
    if (tag.local === 'sitemapindex' || tag.local === 'urlset')
      assert.equal(tag.uri, 'http://www.sitemaps.org/schemas/sitemap/0.9');
  });
  parser.on('text', (value) => {
    if (inside) text += value;
  });
  parser.on('closetag', (tag) => {
    if (tag.local === 'loc') {
      inside = false;
      found.push(text);
    }
  });
  parser.write(xml).close();
  assert.ok(xml.includes(`<${element}>`));
  return found;
}

test('sitemap.xml is an index of files of at most SITEMAP_PAGE_SIZE papers that together list every visible paper', async () => {
  const ids = ['2611.00101', '2611.00102', '2611.00103', 'hep-th/9901001', '2611.00105'];
  const paged = await startSite({
    env: { SITEMAP_PAGE_SIZE: '2' },
    records: ids.map((id) => listedOn('2026-11-21', id, { updatedAt: '2026-11-22T10:00:00Z' })),
  });
  try {
    await paged.store.papers.setPaperHidden('2611.00103', true);
    const index = await fetch(`${paged.url}/sitemap.xml`);
    assert.equal(index.status, 200);
    assert.match(index.headers.get('content-type') ?? '', /^application\/xml/);
    const files = locs(await index.text(), 'sitemap');
    assert.equal(files.length, 1 + 2, 'the pages file, then 4 visible papers in files of 2');
    const urls: string[] = [];
    for (const file of files) {
      assert.ok(file.startsWith(`${paged.url}/sitemaps/`), file);
      const response = await fetch(file);
      assert.equal(response.status, 200, file);
      const xml = await response.text();
      const found = locs(xml, 'url');
      assert.ok(found.length <= 4, file);
      if (file.includes('/papers.xml')) {
        assert.ok(found.length <= 2, file);
        assert.match(xml, /<lastmod>2026-11-22<\/lastmod>/);
      }
      urls.push(...found);
    }
    const papers = urls.filter((url) => url.includes('/papers/2') || url.includes('/papers/hep'));
    assert.deepEqual(
      papers.sort(),
      ids
        .filter((id) => id !== '2611.00103')
        .map((id) => `${paged.url}/papers/${id}`)
        .sort(),
    );
    assert.ok(urls.includes(`${paged.url}/`));
    assert.equal((await fetch(`${paged.url}/sitemaps/papers.xml?after=-1`)).status, 400);
    assert.equal((await fetch(`${paged.url}/sitemaps/papers.xml?after=zz`)).status, 400);
  } finally {
    await paged.close();
  }
});
