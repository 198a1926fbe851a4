// A site on a PostgreSQL primary with a streaming replica (two real clusters, the replica made by pg_basebackup):
// anonymous reads come from the replica, a member reads their own writes at once while the replica lags, and a
// replica that goes away costs no request.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import pg from 'pg';
import { SiteClient } from '../scripts/lib/http-client.ts';
import { startReplicatedServers } from '../scripts/lib/postgres.ts';
import { isReadOnlyStatement } from '../src/store/postgres/replica-routing-pool.ts';
import { signUpVerified } from './helpers/accounts.ts';
import { startServe } from './helpers/serve-process.ts';
import { STORE_KINDS } from './helpers/stores.ts';

test('only statements that cannot change data count as reads', () => {
  for (const read of [
    'SELECT id FROM papers WHERE id = $1',
    '  with recent as (select 1) select * from recent',
    'SELECT count(*) FROM upvotes',
  ])
    assert.equal(isReadOnlyStatement(read), true, read);
  for (const write of [
    'INSERT INTO upvotes VALUES ($1, $2)',
    'UPDATE papers SET hidden = true',
    'WITH moved AS (DELETE FROM sessions RETURNING *) SELECT count(*) FROM moved',
    'SELECT * FROM jobs FOR UPDATE SKIP LOCKED',
    'SELECT pg_try_advisory_lock(42)',
    "SELECT nextval('ids')",
    'BEGIN',
  ])
    assert.equal(isReadOnlyStatement(write), false, write);
});

async function upvotes(client: SiteClient, paperId: string): Promise<number> {
  const response = await client.get(`/api/papers/${paperId}`);
  assert.equal(response.status, 200, `GET /api/papers/${paperId}`);
  return ((await response.json()) as { upvotes: number }).upvotes;
}

async function onReplica(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (const deadline = Date.now() + 60_000; !(await check()); ) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('PostgreSQL with a read replica', {
  skip: !STORE_KINDS.includes('postgres') && 'TEST_STORES leaves PostgreSQL out',
}, () => {
  test('reads go to the replica, a member reads their own writes during lag, a lost replica costs no request', async () => {
    const servers = await startReplicatedServers();
    const site = await startServe([], {
      DATABASE_URL: servers.primaryUrl,
      DATABASE_REPLICA_URL: servers.replicaUrl,
      PGVECTOR: 'off',
    });
    await site.waitFor(/reads: web pages and API reads from the replica at 127\.0\.0\.1:\d+/);

    const visitor = new SiteClient(site.baseUrl);
    let paperId = '';
    await eventually(async () => {
      const list = (await (await visitor.get('/api/daily_papers?limit=1')).json()) as Array<{
        paper: { id: string };
      }>;
      paperId = list[0]?.paper.id ?? '';
      return paperId !== '';
    }, 'the replica has the sample papers');
    const before = await upvotes(visitor, paperId);

    // The replica stops applying the primary's changes: from now on it lags behind.
    await onReplica(servers.replicaUrl, 'SELECT pg_wal_replay_pause()');
    const member = new SiteClient(site.baseUrl);
    await signUpVerified(member, site.mailbox, 'replica_reader');
    const voted = await member.postJson(`/papers/${paperId}/upvote`, { upvoted: 'true' });
    assert.equal(voted.status, 200, await voted.text());
    assert.equal(await upvotes(member, paperId), before + 1, 'the member sees their own vote at once');
    assert.equal(await upvotes(visitor, paperId), before, 'a visitor reads the lagging replica');
    const account = await member.get('/account');
    assert.equal(account.status, 200, 'the new account is found (on the primary) while the replica lags');

    await onReplica(servers.replicaUrl, 'SELECT pg_wal_replay_resume()');
    await eventually(async () => (await upvotes(visitor, paperId)) === before + 1, 'the replica catches up');

    servers.stopReplica();
    for (const path of ['/', `/papers/${paperId}`, '/search?q=model', '/api/daily_papers?limit=3']) {
      const response = await visitor.get(path);
      assert.equal(response.status, 200, `${path} with the replica gone`);
    }
    assert.equal(await upvotes(visitor, paperId), before + 1, 'reads fall back to the primary');
    await site.waitFor(/reads: the replica failed/);
  });
});
