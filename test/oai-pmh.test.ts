import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { RemoteServiceError, retryAfterMs } from '../src/sources/http-retry.ts';
import { type HarvestPage, harvestOai, OaiError } from '../src/sources/oai-pmh.ts';
import { type FakeArxiv, startFakeArxiv } from './helpers/fake-arxiv.ts';

const servers: FakeArxiv[] = [];
after(() => Promise.all(servers.map((server) => server.close())));
async function fake(options = {}): Promise<FakeArxiv> {
  const server = await startFakeArxiv(options);
  servers.push(server);
  return server;
}

async function harvestAll(options: Parameters<typeof harvestOai>[0]): Promise<HarvestPage[]> {
  const pages: HarvestPage[] = [];
  for await (const page of harvestOai(options)) pages.push(page);
  return pages;
}

test('harvests every page once, in order, following resumption tokens', async () => {
  const server = await fake();
  const pages = await harvestAll({
    baseUrl: `${server.url}/oai`,
    set: 'cs',
    from: '2025-03-17',
    until: '2025-03-18',
  });
  assert.deepEqual(
    pages.map((page) => [
      page.records.length,
      page.deleted.length,
      page.nextToken,
      page.cursor,
      page.completeListSize,
    ]),
    [
      [4, 0, 'token-page-2', 0, 12],
      [4, 1, 'token-page-3', 4, 12],
      [4, 0, null, 9, 12],
    ],
  );
  assert.deepEqual(server.requests, [
    '/oai?verb=ListRecords&metadataPrefix=arXiv&set=cs&from=2025-03-17&until=2025-03-18',
    '/oai?verb=ListRecords&resumptionToken=token-page-2',
    '/oai?verb=ListRecords&resumptionToken=token-page-3',
  ]);
  const ids = pages.flatMap((page) => page.records.map((record) => record.id));
  assert.equal(new Set(ids).size, 12);
  assert.deepEqual(pages[1]?.deleted, ['2503.00001']);
});

test('maps arXiv metadata field by field', async () => {
  const server = await fake();
  const pages = await harvestAll({ baseUrl: `${server.url}/oai`, resumptionToken: 'token-page-2' });
  const maldacena = pages[0]?.records.find((record) => record.id === 'hep-th/9711200');
  assert.deepEqual(maldacena, {
    id: 'hep-th/9711200',
    source: 'arxiv',
    version: null,
    title: 'The Large N Limit of Superconformal Field Theories and Supergravity',
    abstract:
      'We show that the large $N$ limit of certain conformal field theories in various dimensions include in their Hilbert space a sector describing supergravity on the product of Anti-deSitter spacetimes, spheres and other compact manifolds.',
    authors: [{ name: 'Juan M. Maldacena Jr', hfId: null, hidden: false }],
    categories: ['hep-th'],
    publishedAt: '1997-11-27T00:00:00.000Z',
    updatedAt: '1998-01-22T00:00:00.000Z',
    comment: '20 pages, harvmac',
    journalRef: 'Adv.Theor.Math.Phys.2:231-252,1998',
    doi: '10.1023/A:1026654312961',
    license: null,
  });
  assert.deepEqual(
    server.requests,
    [
      '/oai?verb=ListRecords&resumptionToken=token-page-2',
      '/oai?verb=ListRecords&resumptionToken=token-page-3',
    ],
    'resumes at the token',
  );
});

test('503 with Retry-After is waited out, then retried; retries run out with a clear error', async () => {
  const server = await fake({ unavailable: 2 });
  const waits: number[] = [];
  const pages = await harvestAll({
    baseUrl: `${server.url}/oai`,
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
  assert.deepEqual(waits, [1000, 1000]);
  assert.equal(pages.length, 3);
  assert.equal(server.requests.length, 5);

  const stubborn = await fake({ unavailable: 10 });
  await assert.rejects(
    harvestAll({ baseUrl: `${stubborn.url}/oai`, maxRetries: 2, sleep: async () => {} }),
    (error: Error) =>
      error instanceof RemoteServiceError && /still unavailable \(503\) after 2 retries/.test(error.message),
  );
});

test('Retry-After in seconds or as a date, capped', () => {
  assert.equal(retryAfterMs('5'), 5000);
  assert.equal(
    retryAfterMs(
      new Date(Date.parse('2026-11-25T06:00:30Z')).toUTCString(),
      Date.parse('2026-11-25T06:00:00Z'),
    ),
    30_000,
  );
  assert.equal(retryAfterMs('999999'), 600_000);
  assert.equal(retryAfterMs(null), 10_000);
});

test('noRecordsMatch is an empty harvest; other OAI errors are typed', async () => {
  const server = await fake();
  const pages = await harvestAll({ baseUrl: `${server.url}/oai`, from: '2030-01-01' });
  assert.deepEqual(pages, [
    { records: [], deleted: [], nextToken: null, completeListSize: null, cursor: null },
  ]);
  await assert.rejects(
    harvestAll({ baseUrl: `${server.url}/oai`, resumptionToken: 'expired' }),
    (error: Error) => error instanceof OaiError && error.code === 'badResumptionToken',
  );
});

test('HTTP errors and unreachable servers are clear errors', async () => {
  const server = await fake();
  await assert.rejects(harvestAll({ baseUrl: `${server.url}/nope` }), /HTTP 404/);
  await assert.rejects(harvestAll({ baseUrl: 'http://127.0.0.1:9/oai' }), /could not connect/);
});
