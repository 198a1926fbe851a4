// What only the SQLite store has: its file, pragmas, migrations table and raw rows. Everything the Store
// interface promises is tested for both stores in test/store/*.test.ts.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { parseSearchQuery } from '../src/domain/search-query.ts';
import { openSqliteStore } from '../src/store/sqlite/index.ts';
import { LINKS_SELECT } from '../src/store/sqlite/paper-reader.ts';
import { listedOn, paperRecord } from './helpers/records.ts';
import { tempDir } from './helpers/temp.ts';

const dir = tempDir();

function dump(path: string): string {
  const db = new Database(path, { readonly: true });
  try {
    const tables = db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .pluck()
      .all() as string[];
    return JSON.stringify(tables.map((table) => [table, db.prepare(`SELECT * FROM "${table}"`).all()]));
  } finally {
    db.close();
  }
}

test('migrations run once; WAL and foreign keys are on; data persists across reopen', async () => {
  const path = join(dir, 'reopen.db');
  const store = await openSqliteStore(path);
  await store.papers.writeBatch([paperRecord('2501.00001')]);
  await store.close();
  const again = await openSqliteStore(path);
  assert.equal(await again.papers.countPapers(), 1);
  await again.close();
  const db = new Database(path);
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  const applied = db.prepare('SELECT name FROM schema_migrations ORDER BY name').pluck().all() as string[];
  assert.deepEqual(applied.slice(0, 2), ['001-catalog', '002-community']);
  assert.ok(applied.includes('004-search'));
  assert.equal(new Set(applied).size, applied.length, 'each migration recorded once');
  db.close();
});

test('writing the same batch again leaves every row as it was', async () => {
  const path = join(dir, 'idempotent.db');
  const store = await openSqliteStore(path);
  const batch = [listedOn('2025-01-06', '2501.00003'), paperRecord('hep-th/9901001', { version: 1 })];
  assert.deepEqual(await store.papers.writeBatch(batch), { inserted: 2, updated: 0, unchanged: 0 });
  const before = dump(path);
  assert.deepEqual(await store.papers.writeBatch(batch), { inserted: 0, updated: 0, unchanged: 2 });
  assert.equal(dump(path), before);
  await store.close();
});

test('import transactions hold the connection: plain writes wait for the import; a bad row names its column', async () => {
  const path = join(dir, 'transactions.db');
  const store = await openSqliteStore(path);
  await store.papers.writeBatch([paperRecord('2501.00010')]);
  const before = dump(path);

  const tx = await store.papers.beginImport();
  await tx.writeBatch([paperRecord('2501.00011')]);
  const broken = paperRecord('2501.00012', { title: null as unknown as string });
  await assert.rejects(tx.writeBatch([paperRecord('2501.00013'), broken]), /NOT NULL/);
  await assert.rejects(store.papers.beginImport(), /already in progress/);
  await assert.rejects(store.papers.writeBatch([paperRecord('2501.00014')]), /in progress/);
  await tx.commit();
  await assert.rejects(tx.writeBatch([paperRecord('2501.00015')]), /already ended/);

  const rolledBack = await store.papers.beginImport();
  await rolledBack.writeBatch([paperRecord('2501.00020'), paperRecord('2501.00010', { title: 'changed' })]);
  await rolledBack.rollback();
  await store.close();
  assert.notEqual(dump(path), before, 'the committed import changed the file');
});

test('trending candidates: stars gained from the snapshot history', async () => {
  const path = join(dir, 'trending.db');
  const store = await openSqliteStore(path);
  await store.papers.writeBatch([
    listedOn('2026-11-20', '2611.00001', { importedUpvotes: 4, githubStars: 10 }),
    listedOn('2026-01-01', '2601.00001', { importedUpvotes: 50 }),
  ]);
  const db = new Database(path);
  db.prepare("UPDATE github_star_snapshots SET observed_at = '2026-11-10T00:00:00.000Z'").run();
  db.close();
  await store.papers.writeBatch([
    listedOn('2026-11-20', '2611.00001', { importedUpvotes: 4, githubStars: 25 }),
  ]);
  const candidates = await store.engagement.trendingCandidates(
    '2026-11-11T00:00:00.000Z',
    '2026-11-18T00:00:00.000Z',
  );
  assert.deepEqual(candidates, [
    {
      paperId: '2611.00001',
      listedAt: '2026-11-20T12:00:00.000Z',
      importedUpvotes: 4,
      voteTimes: [],
      starsGained: 15,
    },
  ]);
  await store.close();
});

test('keyword search runs on a thread with its own connection: it sees each write at once and stops with the store', async () => {
  const store = await openSqliteStore(join(tempDir(), 'thread.db'), { cacheMb: 8 });
  const search = async (text: string) =>
    (await store.papers.keywordSearch(parseSearchQuery(text), 10)).map((hit) => hit.id);
  assert.deepEqual(await search('heuristic'), []);
  await store.papers.writeBatch([paperRecord('2501.00301', { title: 'Heuristic planning' })]);
  assert.deepEqual(await search('heuristic'), ['2501.00301'], 'a committed write is seen at once');
  const many = await Promise.all(['heuristic', 'planning', 'nothing'].map(search));
  assert.deepEqual(many, [['2501.00301'], ['2501.00301'], []], 'concurrent searches each get their answer');
  await store.papers.setPaperHidden('2501.00301', true);
  assert.deepEqual(await search('heuristic'), [], 'hidden at once');
  await store.close();
  await assert.rejects(store.papers.keywordSearch(parseSearchQuery('heuristic'), 10), /the store is closed/);
});

test("a database from before migration 021 keeps its papers' Hugging Face entries, now apart from the rows", async () => {
  const path = join(dir, 'hf-extra-apart.db');
  const store = await openSqliteStore(path);
  await store.papers.writeBatch([paperRecord('2501.00031'), paperRecord('2501.00032')]);
  await store.close();
  // The file as migration 020 left it: the entry in the papers row.
  const old = new Database(path);
  old.exec(`DROP TABLE paper_hf_extras; DELETE FROM schema_migrations WHERE name = '021-hf-extra-apart';
    UPDATE papers SET hf_extra = '{"paper":{"discussionId":"d31"}}' WHERE id = '2501.00031';`);
  old.close();

  const migrated = await openSqliteStore(path);
  const extras = await migrated.papers.hfExtras(['2501.00031', '2501.00032']);
  assert.deepEqual([...extras], [['2501.00031', { paper: { discussionId: 'd31' } }]]);
  await migrated.papers.deletePaper('2501.00031');
  await migrated.close();
  const db = new Database(path, { readonly: true });
  assert.equal(
    db.prepare('SELECT count(hf_extra) FROM papers').pluck().get(),
    0,
    'no entry left in the rows',
  );
  assert.equal(db.prepare('SELECT count(*) FROM paper_hf_extras').pluck().get(), 0, 'deleted with its paper');
  db.close();
});

test("links to papers are read from an index, not from the papers' rows", async () => {
  const path = join(dir, 'links.db');
  const store = await openSqliteStore(path);
  await store.papers.writeBatch([
    paperRecord('2501.00041'),
    listedOn('2025-01-06', '2501.00042', { importedUpvotes: 3 }),
  ]);
  await store.papers.setPaperHidden('2501.00041', true);
  assert.deepEqual(
    (await store.papers.paperLinks(['2501.00042', '2501.00041', '2501.99999'])).map((link) => [
      link.id,
      link.day,
      link.upvotes,
    ]),
    [['2501.00042', '2025-01-06', 3]],
  );
  await store.close();
  const db = new Database(path, { readonly: true });
  const plan = db.prepare(`EXPLAIN QUERY PLAN ${LINKS_SELECT}`).all('[]') as Array<{ detail: string }>;
  assert.ok(
    plan.some((step) => step.detail.includes('COVERING INDEX papers_links')),
    plan.map((step) => step.detail).join('; '),
  );
  db.close();
});
