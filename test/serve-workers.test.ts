import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { childPids } from '../scripts/lib/child-pids.ts';
import { SiteClient } from '../scripts/lib/http-client.ts';
import { signUpVerified, TEST_PASSWORD } from './helpers/accounts.ts';
import { pageWhen, type RunningSite, startServe } from './helpers/serve-process.ts';
import { freshDatabase, STORE_KINDS, skipStoreKind } from './helpers/stores.ts';

const WORKERS = 2;

async function startWorkers(databaseEnv: Record<string, string>): Promise<RunningSite> {
  const site = await startServe(['--workers', String(WORKERS)], databaseEnv);
  await site.waitFor(new RegExp(`\\(${WORKERS} web processes\\)`));
  return site;
}

async function upvoteCount(client: SiteClient, paperId: string): Promise<number> {
  const response = await client.get(`/api/papers/${paperId}`);
  assert.equal(response.status, 200);
  return ((await response.json()) as { upvotes: number }).upvotes;
}

for (const kind of STORE_KINDS) {
  describe(`serve --workers ${WORKERS} on ${kind}`, { skip: skipStoreKind(kind) }, () => {
    test('web processes share sessions, rate limits, votes and fresh pages; a dead one is replaced; SIGTERM stops all', async (t) => {
      const database = await freshDatabase(kind, t);
      const site = await startWorkers(database.env);
      await site.waitFor(/vectors: /);
      assert.match(
        site.output(),
        kind === 'postgres+pgvector'
          ? /vectors: searched in PostgreSQL \(pgvector, HNSW index\); web processes hold no vector index/
          : /vectors: an in-process vector index in each web process/,
        'the site says where semantic search finds its vectors',
      );
      const pids = childPids(site.child.pid as number);
      assert.equal(pids.length, WORKERS, `worker processes: ${pids}`);

      const reader = new SiteClient(site.baseUrl);
      const list = (await (await reader.get('/api/daily_papers?limit=1')).json()) as Array<{
        paper: { id: string };
      }>;
      const paperId = list[0]?.paper.id as string;
      assert.ok(paperId, 'the sample papers are listed');
      const before = await upvoteCount(reader, paperId);
      // Both processes render (and cache) the paper page before anyone votes.
      for (let i = 0; i < 6; i++) assert.equal((await reader.get(`/papers/${paperId}`)).status, 200);

      // Sign-up allows 5 an hour per address, counted in the database whichever process answers.
      const members = Array.from({ length: 5 }, () => new SiteClient(site.baseUrl));
      for (const [i, member] of members.entries())
        await signUpVerified(member, site.mailbox, `worker_member_${i}`);
      const refused = await new SiteClient(site.baseUrl).postForm('/signup', {
        username: 'one_too_many',
        email: 'one_too_many@example.org',
        password: TEST_PASSWORD,
      });
      assert.equal(refused.status, 429);

      // Sessions made by one process are honoured by the other: every vote lands, concurrently.
      const votes = await Promise.all(
        members.map((member) => member.postForm(`/papers/${paperId}/upvote`, { upvoted: 'true' })),
      );
      assert.deepEqual(
        votes.map((response) => response.status),
        votes.map(() => 303),
      );
      for (let i = 0; i < 6; i++) {
        assert.equal(await upvoteCount(reader, paperId), before + members.length);
        const page = await (await reader.get(`/papers/${paperId}`)).text();
        assert.match(page, new RegExp(`>\\s*${before + members.length}\\s*<`), 'a cached page is refreshed');
      }

      // The parent trains the model on the sample in the background; every web process starts searching by meaning.
      await site.waitFor(/semantic search is on/);
      await pageWhen(reader, '/search?q=diffusion', /matched by (words and )?meaning/, 8);

      const [victim] = pids;
      process.kill(victim as number, 'SIGKILL');
      await site.waitFor(/starting another/);
      for (let tries = 0; ; tries++) {
        const current = childPids(site.child.pid as number);
        if (current.length === WORKERS && !current.includes(victim as number)) break;
        assert.ok(tries < 300, `no replacement web process: ${current}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      for (let i = 0; i < 4; i++) assert.equal((await reader.get('/')).status, 200);

      const exited = new Promise<number | null>((resolve) =>
        site.child.once('exit', (code) => resolve(code)),
      );
      site.child.kill('SIGTERM');
      assert.equal(await exited, 0);
      const survivors = childPids(site.child.pid as number);
      assert.deepEqual(survivors, []);
    });
  });
}
