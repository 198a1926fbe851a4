import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, test } from 'node:test';
import { createGunzip } from 'node:zlib';
import { validate } from '@readme/openapi-parser';
import { SaxesParser } from 'saxes';
import { SiteClient } from '../scripts/lib/http-client.ts';
import { importPapers } from '../src/services/import-papers.ts';
import { readHfDaily } from '../src/sources/hf-daily.ts';
import { ROUTES } from '../src/web/routes/route-table.ts';
import { type FakeArxiv, startFakeArxiv } from './helpers/fake-arxiv.ts';
import { differencesFromHf, type Json } from './helpers/hf-shape.ts';
import { type RunningSite, startSite } from './helpers/site.ts';
import { FIXTURES } from './helpers/temp.ts';

const HF_FILE = join(FIXTURES, 'hf/three-days.jsonl.gz');
let site: RunningSite;
let arxiv: FakeArxiv;
const originals = new Map<string, { day: string; entry: Json }>();

before(async () => {
  arxiv = await startFakeArxiv();
  site = await startSite({ env: { ARXIV_API_URL: arxiv.url, SUBMISSION_MAX_AGE_DAYS: '3650' } });
  await importPapers(site.store, readHfDaily(createReadStream(HF_FILE), 'three-days'));
  for await (const line of createInterface({ input: createReadStream(HF_FILE).pipe(createGunzip()) })) {
    const { date, response } = JSON.parse(line) as { date: string; response: Json[] };
    for (const entry of response) originals.set((entry.paper as Json).id as string, { day: date, entry });
  }
});
after(async () => {
  await site?.close();
  await arxiv?.close();
});

async function getJson(path: string): Promise<{ status: number; body: unknown; headers: Headers }> {
  const response = await fetch(`${site.url}${path}`);
  return { status: response.status, body: await response.json(), headers: response.headers };
}

const ids = (body: unknown) => (body as { paper: { id: string } }[]).map((entry) => entry.paper.id);

test('a day served back keeps every field Hugging Face served, with the same names and types', async () => {
  const { status, body } = await getJson('/api/daily_papers?date=2026-05-01');
  assert.equal(status, 200);
  const entries = body as Json[];
  assert.equal(entries.length, 16);
  for (const entry of entries) {
    const original = originals.get((entry.paper as Json).id as string);
    assert.ok(original);
    assert.deepEqual(differencesFromHf(entry, original.entry, { values: true }), []);
  }
  assert.deepEqual(
    ids(entries),
    [...originals.values()].filter((o) => o.day === '2026-05-01').map((o) => (o.entry.paper as Json).id),
    'publishedAt order lists the day as it was listed',
  );
});

test('week and month windows select the listing days inside them', async () => {
  const week18 = await getJson('/api/daily_papers?week=2026-W18&limit=100');
  assert.equal((week18.body as unknown[]).length, 9 + 16, 'Thu 30 Apr and Fri 1 May');
  assert.equal((await getJson('/api/daily_papers?week=2026-W19&limit=100')).body instanceof Array, true);
  assert.equal(((await getJson('/api/daily_papers?week=2026-W19')).body as unknown[]).length, 13);
  assert.equal(((await getJson('/api/daily_papers?month=2026-04')).body as unknown[]).length, 9);
  assert.equal(((await getJson('/api/daily_papers?month=2026-05&limit=100')).body as unknown[]).length, 29);
  assert.equal(((await getJson('/api/daily_papers?month=2026-06')).body as unknown[]).length, 0);
});

test('pages follow the Link header to the end, without repeats', async () => {
  const seen: string[] = [];
  let next: string | null = '/api/daily_papers?month=2026-05&limit=10';
  let pages = 0;
  while (next) {
    const response: Response = await fetch(next.startsWith('http') ? next : `${site.url}${next}`);
    assert.equal(response.headers.get('x-total-count'), '29');
    seen.push(...ids(await response.json()));
    next = /<([^>]+)>; rel="next"/.exec(response.headers.get('link') ?? '')?.[1] ?? null;
    pages++;
  }
  assert.equal(pages, 3);
  assert.equal(seen.length, 29);
  assert.equal(new Set(seen).size, 29);
  // A page past the end holds nothing and still tells the whole list's count; so does a page exactly full.
  for (const [path, count] of [
    ['/api/daily_papers?month=2026-05&limit=10&p=7', 0],
    ['/api/daily_papers?month=2026-05&limit=29', 29],
  ] as const) {
    const response = await getJson(path);
    assert.equal((response.body as unknown[]).length, count, path);
    assert.equal(response.headers.get('x-total-count'), '29', path);
  }
});

test('sort=trending ranks by decayed upvotes: fresh votes on the newest day beat bigger older piles', async () => {
  const { status, body } = await getJson('/api/daily_papers?sort=trending&limit=5');
  assert.equal(status, 200);
  // Newest day 2026-05-04: 2605.00658 has 61 upvotes; 2604.27351 had 124 three days earlier (124 / 2^1.5 ≈ 44).
  assert.deepEqual(ids(body).slice(0, 2), ['2605.00658', '2604.27351']);
});

test('a submitter filter lists only what that member listed', async () => {
  const anyEntry = [...originals.values()].find((o) => (o.entry.submittedBy as Json | undefined)?.name);
  const submitter = (anyEntry?.entry.submittedBy as Json).name as string;
  const { body } = await getJson(`/api/daily_papers?submitter=${encodeURIComponent(submitter)}&limit=100`);
  const expected = [...originals.values()].filter(
    (o) => (o.entry.submittedBy as Json | undefined)?.name === submitter,
  );
  assert.equal((body as unknown[]).length, expected.length);
  assert.ok(expected.length > 0);
});

test('bad parameters get a 400 that names the parameter and the reason', async () => {
  const cases: Array<[string, RegExp]> = [
    ['date=2026-02-30', /^date: /],
    ['date=yesterday', /^date: /],
    ['week=2026-W54', /^week: /],
    ['month=2026-13', /^month: /],
    ['limit=0', /^limit: /],
    ['limit=2.5', /^limit: /],
    ['limit=ten', /^limit: /],
    ['p=-1', /^p: /],
    ['sort=hot', /^sort: /],
    ['date=2026-05-01&week=2026-W18', /^week: give only one/],
    ['sort=trending&date=2026-05-01', /^sort: /],
    ['date=2026-05-01&date=2026-05-04', /^date: give it once/],
  ];
  for (const [query, message] of cases) {
    const { status, body } = await getJson(`/api/daily_papers?${query}`);
    assert.equal(status, 400, query);
    assert.match((body as { error: string }).error, message, query);
  }
  const search = await getJson('/api/papers/search?q=after%3A2026-02-30');
  assert.equal(search.status, 400);
  assert.match((search.body as { error: string }).error, /^q: /);
  assert.equal((await getJson('/api/papers/search?q=x&limit=-1')).status, 400);
  for (const weight of ['-1', '5', 'heavy']) {
    const weighted = await getJson(`/api/papers/search?q=x&meaning_weight=${weight}`);
    assert.equal(weighted.status, 400, weight);
    assert.match((weighted.body as { error: string }).error, /^meaning_weight: /);
  }
  // Hugging Face papers carry no arXiv categories: the page says so instead of an unexplained empty list.
  const filed = await (await fetch(`${site.url}/search?q=${encodeURIComponent('model cat:cs.LG')}`)).text();
  assert.match(filed, /papers known to this site only from Hugging Face carry none/);
  const weighted = await getJson('/api/papers/search?q=model&meaning_weight=0.3&mode=keyword');
  assert.equal(weighted.status, 200);
  assert.equal(weighted.headers.get('x-total-count-exact'), null, 'an exact count says nothing more');
});

test('accepts what Hugging Face accepts: limits over the cap are clamped, unknown parameters ignored', async () => {
  const month = await getJson('/api/daily_papers?month=2026-05&limit=200');
  assert.equal(month.status, 200);
  assert.equal((month.body as unknown[]).length, 29);
  const week = await getJson('/api/daily_papers?limit=101&colour=blue&colour=red&p=0');
  assert.equal(week.status, 200);
  assert.equal((week.body as unknown[]).length, Math.min(100, Number(week.headers.get('x-total-count'))));
  const searched = await getJson('/api/papers/search?q=model&limit=1000&fields=all');
  assert.equal(searched.status, 200);
  assert.ok((searched.body as unknown[]).length <= 120);
});

test('search without a query lists the most recent papers, 120 by default as Hugging Face does', async () => {
  for (const path of ['/api/papers/search', '/api/papers/search?q=%20%20']) {
    const { status, body } = await getJson(path);
    assert.equal(status, 200, path);
    const expected = await site.store.papers.listPapers({}, { sort: 'newest', limit: 120 });
    assert.deepEqual(
      ids(body),
      expected.map((paper) => paper.id),
    );
  }
  const paged = await getJson('/api/papers/search?limit=5&p=1');
  const expected = await site.store.papers.listPapers({}, { sort: 'newest', limit: 5, offset: 5 });
  assert.deepEqual(
    ids(paged.body),
    expected.map((paper) => paper.id),
  );
});

test('one paper by id, and a JSON 404 for an unknown one', async () => {
  const { status, body } = await getJson('/api/papers/2605.00658v2');
  assert.equal(status, 200);
  const paper = body as Json;
  assert.equal(paper.id, '2605.00658');
  assert.equal(paper.upvotes, 61);
  assert.equal(typeof paper.numComments, 'number');
  for (const path of ['/api/papers/2605.99999', '/api/papers/not-a-paper']) {
    const missing = await getJson(path);
    assert.equal(missing.status, 404, path);
    assert.equal(typeof (missing.body as Json).error, 'string');
  }
});

test('keyword search finds papers by words of their title and abstract, or by arXiv id', async () => {
  const target = originals.get('2605.00658')?.entry.paper as Json;
  const words = String(target.title).split(/\s+/).slice(0, 4).join(' ');
  const { status, body } = await getJson(`/api/papers/search?q=${encodeURIComponent(words)}&limit=5`);
  assert.equal(status, 200);
  assert.equal(ids(body)[0], '2605.00658');
  assert.deepEqual(ids((await getJson('/api/papers/search?q=arxiv.org/abs/2605.00658')).body), [
    '2605.00658',
  ]);
});

test('a logged-in member submits a paper by id through the API; the rules answer 400s', async () => {
  const client = new SiteClient(site.url);
  const anonymous = await client.postJson('/api/papers/submit', { paper: '2503.11731' });
  assert.equal(anonymous.status, 401);
  await site.signUp(client, 'api-submitter');
  const created = await client.postJson('/api/papers/submit', {
    paper: 'https://arxiv.org/abs/2503.11731v1',
  });
  assert.equal(created.status, 201, await created.clone().text());
  const entry = (await created.json()) as Json;
  assert.equal((entry.paper as Json).id, '2503.11731');
  assert.equal((entry.submittedBy as Json).name, 'api-submitter');

  const again = await client.postJson('/api/papers/submit', { paper: '2503.11731' });
  assert.equal(again.status, 400);
  assert.match(((await again.json()) as Json).error as string, /^paper: 2503\.11731 is already listed/);
  const unknown = await client.postJson('/api/papers/submit', { paper: '2503.99999' });
  assert.equal(unknown.status, 400);
  const missing = await client.postJson('/api/papers/submit', {});
  assert.equal(missing.status, 400);
});

test('the OpenAPI description covers every endpoint and is valid OpenAPI, and the docs page renders it', async () => {
  const { status, body } = await getJson('/api/openapi.json');
  assert.equal(status, 200);
  const document = body as {
    openapi: string;
    paths: Record<string, unknown>;
    components: { securitySchemes: Record<string, { type: string; scheme?: string }> };
  };
  assert.match(document.openapi, /^3\./);
  assert.deepEqual(Object.keys(document.paths).sort(), [
    '/api/arxiv/{id}/repos',
    '/api/daily_papers',
    '/api/me',
    '/api/me/collections',
    '/api/me/feed',
    '/api/me/follows',
    '/api/me/follows/{id}/delete',
    '/api/me/library',
    '/api/me/library/remove',
    '/api/me/library/untag',
    '/api/me/not-interested',
    '/api/me/tags',
    '/api/papers/search',
    '/api/papers/submit',
    '/api/papers/{id}',
    '/api/papers/{id}/similar',
    '/api/papers/{id}/upvote',
  ]);
  const validity = await validate(structuredClone(document) as Parameters<typeof validate>[0]);
  assert.deepEqual(validity, { valid: true, warnings: [], specification: 'OpenAPI' });
  assert.deepEqual(document.components.securitySchemes.bearerToken, {
    type: 'http',
    scheme: 'bearer',
    description: 'A personal API token, created and revoked on your account page (/account).',
  });
  const docs = await fetch(`${site.url}/api/docs`);
  assert.equal(docs.status, 200);
  const docsPage = await docs.text();
  assert.match(docsPage, /\/api\/daily_papers/);
  assert.match(docsPage, /<code>\/api\/papers\/\{id\}\/similar<\/code>/);
  assert.match(docsPage, /<dt><code>paperId<\/code> <small>body<\/small><\/dt>/);
});

test('the open API routes answer in the shape their schemas describe', async () => {
  const [first] = ids((await getJson('/api/daily_papers?date=2026-05-01')).body);
  const samples = {
    '/api/daily_papers': '/api/daily_papers?month=2026-05&limit=100',
    '/api/papers/search': '/api/papers/search?q=language%20models',
    '/api/papers/:paper': `/api/papers/${first}`,
    '/api/papers/:paper/similar': `/api/papers/${first}/similar`,
    '/api/arxiv/:paper/repos': `/api/arxiv/${first}/repos`,
  };
  const open = ROUTES.filter((route) => route.kind === 'api' && route.method === 'GET' && !route.guard);
  assert.deepEqual(open.map((route) => route.url).sort(), Object.keys(samples).sort());
  for (const route of open) {
    const path = samples[route.url as keyof typeof samples];
    const { status, body } = await getJson(path);
    assert.equal(status, 200, path);
    const schema = route.schema?.response[200]?.content['application/json'].schema;
    assert.ok(schema, path);
    const parsed = schema.safeParse(body);
    assert.ok(parsed.success, `${path}: ${parsed.error?.message}`);
  }
});

test('the member API routes answer in the shape their schemas describe', async () => {
  const client = new SiteClient(site.url);
  await site.member(client, 'shape-reader');
  const [first] = ids((await getJson('/api/daily_papers?date=2026-05-01')).body);
  const answerSchema = (method: string, url: string, status: number) => {
    const route = ROUTES.find((route) => route.method === method && route.url === url);
    const schema = route?.schema?.response[status]?.content['application/json'].schema;
    assert.ok(schema, `${method} ${url} describes its ${status}`);
    return schema;
  };
  const check = async (method: string, url: string, response: Response, status = 200) => {
    assert.equal(response.status, status, `${method} ${url}`);
    const parsed = answerSchema(method, url, status).safeParse(await response.json());
    assert.ok(parsed.success, `${method} ${url}: ${parsed.error?.message}`);
  };
  await check(
    'POST',
    '/api/me/library',
    await client.postJson('/api/me/library', { paperId: first, tags: ['rl'] }),
    201,
  );
  await check(
    'POST',
    '/api/me/follows',
    await client.postJson('/api/me/follows', { kind: 'topic', target: 'agents' }),
    201,
  );
  await check(
    'POST',
    '/api/me/collections',
    await client.postJson('/api/me/collections', { tag: 'rl', visibility: 'public' }),
  );
  for (const url of [
    '/api/me',
    '/api/me/feed',
    '/api/me/follows',
    '/api/me/library',
    '/api/me/tags',
    '/api/me/collections',
  ])
    await check('GET', url, await client.get(url));
});

/** Well-formed XML, or the parser throws. Returns the element names in order. */
function xmlElements(text: string): string[] {
  const names: string[] = [];
  const parser = new SaxesParser();
  parser.on('opentag', (tag) => names.push(tag.name));
  parser.write(text).close();
  return names;
}

test('RSS and Atom feeds for a day, a week, a month and trending, advertised by the pages', async () => {
  const day = await fetch(`${site.url}/feeds/date/2026-05-01.xml`);
  assert.equal(day.status, 200);
  assert.match(day.headers.get('content-type') ?? '', /^application\/rss\+xml/);
  assert.equal(xmlElements(await day.text()).filter((name) => name === 'item').length, 16);

  const week = await fetch(`${site.url}/feeds/week/2026-W18.atom`);
  assert.match(week.headers.get('content-type') ?? '', /^application\/atom\+xml/);
  assert.equal(xmlElements(await week.text()).filter((name) => name === 'entry').length, 25);

  for (const path of [
    '/feeds/daily.xml',
    '/feeds/month.atom',
    '/feeds/month/2026-04.xml',
    '/feeds/trending.atom',
  ]) {
    const response = await fetch(`${site.url}${path}`);
    assert.equal(response.status, 200, path);
    assert.ok(xmlElements(await response.text()).length > 3, path);
  }
  assert.equal((await fetch(`${site.url}/feeds/date/2026-02-30.xml`)).status, 404);
  assert.equal((await fetch(`${site.url}/feeds/nothing.xml`)).status, 404);

  const page = await (await fetch(`${site.url}/papers/week/2026-W18`)).text();
  assert.match(
    page,
    /<link rel="alternate" type="application\/rss\+xml"[^>]+href="\/feeds\/week\/2026-W18\.xml"/,
  );
  assert.match(page, /<link rel="alternate" type="application\/atom\+xml"[^>]+href="\/feeds\/week\.atom"/);
});
