import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import {
  ArxivApiError,
  fetchArxivPaper,
  fetchArxivPapers,
  UnknownArxivPaperError,
} from '../src/sources/arxiv-api.ts';
import { runCli } from './helpers/cli.ts';
import { startFakeArxiv } from './helpers/fake-arxiv.ts';
import { tempDir } from './helpers/temp.ts';

const server = await startFakeArxiv();
after(() => server.close());

test('fetches papers by id or URL, mapped field by field', async () => {
  const paper = await fetchArxivPaper('https://arxiv.org/abs/2503.11742v1', { baseUrl: server.url });
  assert.equal(paper.id, '2503.11742');
  assert.equal(paper.version, 2);
  assert.equal(paper.source, 'arxiv');
  assert.equal(paper.title, 'Safe Vision-Language Models via Unsafe Weights Manipulation');
  assert.deepEqual(
    paper.authors.map((author) => author.name),
    ["Moreno D'Incà", 'Elia Peruzzo', 'Xingqian Xu', 'Humphrey Shi', 'Nicu Sebe', 'Massimiliano Mancini'],
  );
  assert.deepEqual(paper.categories, ['cs.CV', 'cs.AI']);
  assert.equal(paper.publishedAt, '2025-03-14T17:59:59Z');
  assert.equal(paper.updatedAt, '2025-03-20T10:00:00Z');
  assert.equal(paper.comment, 'Work in progress');
  assert.equal(paper.pdfUrl, 'https://arxiv.org/pdf/2503.11742');
  assert.match(
    paper.abstract,
    /^Vision-language models \(VLMs\) often inherit the biases and unsafe associations/,
  );
  assert.ok(server.requests.at(-1)?.startsWith('/api/query?id_list=2503.11742&max_results=1'));
});

test('unknown ids are reported, error entries are typed', async () => {
  const result = await fetchArxivPapers(['2503.11731', '2599.99999'], { baseUrl: server.url });
  assert.deepEqual(
    result.papers.map((paper) => paper.id),
    ['2503.11731'],
  );
  assert.deepEqual(result.notFound, ['2599.99999']);
  await assert.rejects(fetchArxivPaper('2599.99999', { baseUrl: server.url }), UnknownArxivPaperError);
  await assert.rejects(fetchArxivPaper('not an id', { baseUrl: server.url }), /not an arXiv id/);
  await assert.rejects(
    fetchArxivPapers(['2503.11731'], {
      baseUrl: server.url,
      fetch: async () => new Response(null, { status: 500 }),
    }),
    /HTTP 500/,
  );
});

test('the API error entry becomes ArxivApiError', async () => {
  const fetchError: typeof fetch = async () =>
    new Response(
      '<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/api/errors#x</id><title>Error</title><summary>incorrect id format for 1234</summary></entry></feed>',
    );
  await assert.rejects(fetchArxivPapers(['2503.11731'], { fetch: fetchError }), (error: Error) => {
    return error instanceof ArxivApiError && error.message === 'arXiv API: incorrect id format for 1234';
  });
});

test('more than 100 ids are fetched in chunks of 100', async () => {
  const ids = Array.from({ length: 250 }, (_, index) => `2501.${String(index).padStart(5, '0')}`);
  const before = server.requests.length;
  const result = await fetchArxivPapers(ids, { baseUrl: server.url });
  assert.equal(server.requests.length - before, 3);
  assert.equal(result.notFound.length, 250);
});

test('dailypapers import arxiv-api stores papers and reports ids arXiv does not have', async () => {
  const env = { DATABASE_URL: join(tempDir(), 'api.db') };
  const run = await runCli(
    ['import', 'arxiv-api', '--base-url', server.url, '2503.11731', 'arXiv:2599.99999'],
    env,
  );
  assert.equal(run.code, 1);
  assert.match(run.stderr, /1 new, 0 updated, 0 unchanged/);
  assert.match(run.stderr, /not found on arXiv: 2599\.99999/);
});
