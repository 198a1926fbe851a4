// A file import in a child process beside a running site (`dailypapers serve`, its own process): members keep
// upvoting and logging in without a 500, /healthz keeps answering, and the import succeeds, embedding included.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { SiteClient } from '../../scripts/lib/http-client.ts';
import { loadEmbeddingModel } from '../../src/services/embed-papers.ts';
import { openStore } from '../../src/store/open-store.ts';
import { signUpVerified, TEST_PASSWORD } from '../helpers/accounts.ts';
import { runCli } from '../helpers/cli.ts';
import { type RunningSite as RunningServe, startServe } from '../helpers/serve-process.ts';
import { freshDatabase, STORE_KINDS } from '../helpers/stores.ts';
import { FIXTURES, tempDir } from '../helpers/temp.ts';

const COPIES = 200;

/** The arXiv listing fixture copied under new ids, COPIES times: thousands of papers, enough to import for a while. */
function largeListingFile(): { path: string; papers: number } {
  const records = readFileSync(join(FIXTURES, 'arxiv/listings.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  const lines: string[] = [];
  for (let copy = 0; copy < COPIES; copy++) {
    records.forEach((record, index) => {
      const id = `2609.${String(copy * records.length + index + 1).padStart(5, '0')}`;
      lines.push(
        JSON.stringify({
          ...record,
          id,
          abs: `https://arxiv.org/abs/${id}`,
          pdf: `https://arxiv.org/pdf/${id}`,
        }),
      );
    });
  }
  const path = join(tempDir(), 'large-listings.jsonl');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return { path, papers: lines.length };
}

/** `serve` on an empty database: it loads the sample and trains a model in the background; waits for both. */
async function serveSample(databaseUrl: string): Promise<RunningServe> {
  const serve = await startServe([], { DATABASE_URL: databaseUrl });
  await serve.waitFor(/semantic search is on/, 180_000);
  return serve;
}

for (const kind of STORE_KINDS) {
  describe(`an import beside the running site (${kind})`, () => {
    test('members upvote and log in meanwhile without a 500; the import commits and embeds every paper', async () => {
      const database = await freshDatabase(kind);
      after(() => database.release());
      const input = largeListingFile();
      // The sample papers and a model trained on them: the import's embedding step has work to do.
      const site = await serveSample(database.url);
      const member = new SiteClient(site.baseUrl);
      await signUpVerified(member, site.mailbox, 'reader');
      const visitor = new SiteClient(site.baseUrl);
      const daily = (await (await member.get('/api/daily_papers')).json()) as Array<{
        paper: { id: string };
      }>;
      const paperId = daily[0]?.paper.id;
      assert.ok(paperId, 'the sample papers are listed');

      const importing = runCli(['import', 'arxiv-jsonl', input.path], { DATABASE_URL: database.url });
      let importFinished = false;
      void importing.then(() => {
        importFinished = true;
      });
      const statuses = new Map<string, number[]>();
      const record = (what: string, status: number) => {
        statuses.set(what, [...(statuses.get(what) ?? []), status]);
      };
      let answeredDuringImport = 0;
      for (let round = 0; !importFinished; round++) {
        const [upvote, login, health] = await Promise.all([
          member.postForm(`/papers/${paperId}/upvote`, { upvoted: String(round % 2 === 0) }),
          visitor.postForm('/login', { username: 'reader', password: TEST_PASSWORD }),
          fetch(`${site.baseUrl}/healthz`),
        ]);
        for (const [what, response] of [
          ['upvote', upvote],
          ['login', login],
          ['healthz', health],
        ] as const) {
          record(what, response.status);
          if (response.status === 503)
            assert.ok(response.headers.get('retry-after'), '503 says when to retry');
          await response.arrayBuffer();
        }
        if (!importFinished) answeredDuringImport++;
      }
      const result = await importing;
      assert.equal(result.code, 0, `the import failed:\n${result.stderr}`);
      assert.doesNotMatch(result.stderr, /locked|busy/i);
      for (const [what, codes] of statuses)
        assert.ok(
          codes.every((code) => code < 500 || code === 503),
          `${what} answered ${codes.join(' ')}`,
        );
      assert.ok(
        (statuses.get('healthz') ?? []).every((code) => code === 200),
        '/healthz kept answering 200',
      );
      assert.ok(answeredDuringImport > 0, 'requests were answered while the import ran');

      const store = await openStore(database.location);
      try {
        const embedder = await loadEmbeddingModel(store);
        assert.ok(embedder, 'the site has a model');
        assert.equal(
          await store.vectors.countPapersToEmbed(embedder.model),
          0,
          'the import embedded every paper',
        );
        assert.ok(
          await store.papers.getPaper(`2609.${String(input.papers).padStart(5, '0')}`),
          'the last paper is in',
        );
      } finally {
        await store.close();
      }
    });
  });
}
