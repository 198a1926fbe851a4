import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../src/store/sqlite/index.ts';
import { listedOn, paperRecord } from './helpers/records.ts';
import { tempDir } from './helpers/temp.ts';

const dir = tempDir();
let counter = 0;
const freshStore = () => openSqliteStore(join(dir, `store-${++counter}.db`));

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
  await store.writeBatch([paperRecord('2501.00001')]);
  await store.close();
  const again = await openSqliteStore(path);
  assert.equal(await again.countPapers(), 1);
  await again.close();
  const db = new Database(path);
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  assert.deepEqual(db.prepare('SELECT name FROM schema_migrations').pluck().all(), [
    '001-catalog',
    '002-community',
  ]);
  db.close();
});

test('a paper round-trips every field', async () => {
  const store = await freshStore();
  await store.writeBatch([
    paperRecord('2501.00002', {
      source: 'huggingface',
      version: 2,
      title: 'Attention $O(n)$',
      authors: [{ name: 'Grace Hopper', hfId: 'abc', hidden: true }],
      categories: ['cs.CL', 'cs.AI'],
      publishedAt: '2025-01-01T00:00:00.000Z',
      updatedAt: '2025-01-05T00:00:00.000Z',
      comment: '9 pages',
      journalRef: 'J. Test 1',
      doi: '10.1/x',
      license: 'CC-BY',
      githubRepo: 'https://github.com/a/b',
      githubStars: 12,
      projectPage: 'https://a.b',
      thumbnail: 'https://a.b/t.png',
      organization: { name: 'acme', fullName: 'Acme Labs', avatarUrl: 'https://a.b/acme.png' },
      aiSummary: 'It is fast.',
      aiKeywords: ['attention', 'linear'],
      importedUpvotes: 7,
      importedComments: 3,
      daily: {
        day: '2025-01-06',
        submittedBy: { user: 'ada', fullname: 'Ada L', avatarUrl: '/a.png' },
        submittedAt: '2025-01-06T10:00:00.000Z',
      },
    }),
  ]);
  const paper = await store.getPaper('2501.00002');
  assert.deepEqual(paper, {
    id: '2501.00002',
    version: 2,
    title: 'Attention $O(n)$',
    abstract: 'Abstract of 2501.00002.',
    authors: [{ name: 'Grace Hopper', hfId: 'abc', hidden: true }],
    categories: ['cs.CL', 'cs.AI'],
    publishedAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-05T00:00:00.000Z',
    comment: '9 pages',
    journalRef: 'J. Test 1',
    doi: '10.1/x',
    license: 'CC-BY',
    absUrl: 'https://arxiv.org/abs/2501.00002',
    pdfUrl: 'https://arxiv.org/pdf/2501.00002',
    githubRepo: 'https://github.com/a/b',
    githubStars: 12,
    projectPage: 'https://a.b',
    thumbnail: 'https://a.b/t.png',
    organization: { name: 'acme', fullName: 'Acme Labs', avatarUrl: 'https://a.b/acme.png' },
    aiSummary: 'It is fast.',
    aiKeywords: ['attention', 'linear'],
    upvotes: 7,
    numComments: 3,
    daily: {
      day: '2025-01-06',
      submittedBy: { user: 'ada', fullname: 'Ada L', avatarUrl: '/a.png' },
      submittedAt: '2025-01-06T10:00:00.000Z',
    },
    hidden: false,
  });
  assert.equal(await store.getPaper('2501.99999'), null);
  await store.close();
});

test('writing the same batch again changes nothing', async () => {
  const path = join(dir, 'idempotent.db');
  const store = await openSqliteStore(path);
  const batch = [listedOn('2025-01-06', '2501.00003'), paperRecord('hep-th/9901001', { version: 1 })];
  assert.deepEqual(await store.writeBatch(batch), { inserted: 2, updated: 0, unchanged: 0 });
  const before = dump(path);
  assert.deepEqual(await store.writeBatch(batch), { inserted: 0, updated: 0, unchanged: 2 });
  assert.equal(dump(path), before);
  assert.equal((await store.getPaper('hep-th/9901001'))?.id, 'hep-th/9901001');
  await store.close();
});

test('a newer version replaces metadata, an older one never does; arXiv outranks Hugging Face', async () => {
  const store = await freshStore();
  await store.writeBatch([paperRecord('2501.00004', { version: 2, title: 'v2 title' })]);
  assert.equal(
    (await store.writeBatch([paperRecord('2501.00004', { version: 1, title: 'v1 title' })])).unchanged,
    1,
  );
  assert.equal((await store.getPaper('2501.00004'))?.title, 'v2 title');
  await store.writeBatch([paperRecord('2501.00004', { version: 3, title: 'v3 title' })]);
  assert.equal((await store.getPaper('2501.00004'))?.title, 'v3 title');

  await store.writeBatch([paperRecord('2501.00005', { title: 'arXiv title' })]);
  await store.writeBatch([
    paperRecord('2501.00005', { source: 'huggingface', title: 'HF title', importedUpvotes: 9 }),
  ]);
  const merged = await store.getPaper('2501.00005');
  assert.equal(merged?.title, 'arXiv title');
  assert.equal(merged?.upvotes, 9, 'Hugging Face fields still arrive');
  assert.equal((await store.writeBatch([paperRecord('2501.00005', { title: 'arXiv title' })])).unchanged, 1);
  await store.close();
});

test('undefined keeps a stored value, null clears it', async () => {
  const store = await freshStore();
  await store.writeBatch([
    paperRecord('2501.00006', { githubRepo: 'https://github.com/x/y', githubStars: 5 }),
  ]);
  await store.writeBatch([paperRecord('2501.00006', { githubStars: 6 })]);
  let paper = await store.getPaper('2501.00006');
  assert.equal(paper?.githubRepo, 'https://github.com/x/y');
  assert.equal(paper?.githubStars, 6);
  await store.writeBatch([paperRecord('2501.00006', { githubRepo: null })]);
  paper = await store.getPaper('2501.00006');
  assert.equal(paper?.githubRepo, null);
  await store.close();
});

test('a paper stays on its first day; a later listing fills a missing submitter only', async () => {
  const store = await freshStore();
  await store.writeBatch([listedOn('2025-01-06', '2501.00007')]);
  const submittedBy = { user: 'bob', fullname: null, avatarUrl: null };
  await store.writeBatch([
    paperRecord('2501.00007', {
      daily: { day: '2025-01-09', submittedBy, submittedAt: '2025-01-09T00:00:00Z' },
    }),
  ]);
  const paper = await store.getPaper('2501.00007');
  assert.equal(paper?.daily?.day, '2025-01-06');
  assert.deepEqual(paper?.daily?.submittedBy, submittedBy);
  await store.close();
});

test('import transactions: a failing batch rolls back alone; rollback restores everything', async () => {
  const path = join(dir, 'transactions.db');
  const store = await openSqliteStore(path);
  await store.writeBatch([paperRecord('2501.00010')]);
  const before = dump(path);

  const tx = await store.beginImport();
  await tx.writeBatch([paperRecord('2501.00011')]);
  const broken = paperRecord('2501.00012', { title: null as unknown as string });
  await assert.rejects(tx.writeBatch([paperRecord('2501.00013'), broken]), /NOT NULL/);
  await assert.rejects(store.beginImport(), /already in progress/);
  await assert.rejects(store.writeBatch([paperRecord('2501.00014')]), /in progress/);
  await tx.commit();
  assert.ok(await store.getPaper('2501.00011'));
  assert.equal(await store.getPaper('2501.00013'), null, 'the failed batch left nothing');

  const rolledBack = await store.beginImport();
  await rolledBack.writeBatch([paperRecord('2501.00020'), paperRecord('2501.00010', { title: 'changed' })]);
  await rolledBack.rollback();
  assert.equal(await store.getPaper('2501.00020'), null);
  assert.equal((await store.getPaper('2501.00010'))?.title, 'Paper 2501.00010');
  await store.close();
  assert.notEqual(dump(path), before);
});

test('a cursor is saved with its batch and can be cleared', async () => {
  const store = await freshStore();
  await store.writeBatch([paperRecord('2501.00030')], { key: 'oai x', value: 'token-1' });
  assert.equal(await store.getImportCursor('oai x'), 'token-1');
  const tx = await store.beginImport();
  await tx.writeBatch([paperRecord('2501.00031')], { key: 'oai x', value: 'token-2' });
  await tx.rollback();
  assert.equal(await store.getImportCursor('oai x'), 'token-1');
  await store.clearImportCursor('oai x');
  assert.equal(await store.getImportCursor('oai x'), null);
  await store.close();
});

test('day lists: upvotes first, ties in listing order; newest; paging; hidden left out; adjacent days', async () => {
  const store = await freshStore();
  await store.writeBatch([
    listedOn('2025-01-06', '2501.00041', { importedUpvotes: 5 }),
    listedOn('2025-01-06', '2501.00042', { importedUpvotes: 9 }),
    listedOn('2025-01-06', '2501.00043', { importedUpvotes: 5 }),
    listedOn('2025-01-08', '2501.00044', { importedUpvotes: 1 }),
    listedOn('2025-01-10', '2501.00045', { importedUpvotes: 100 }),
  ]);
  const ids = async (from: string, to: string, options = {}) =>
    (await store.listByDays({ fromDay: from, toDay: to }, options)).map((paper) => paper.id);
  assert.deepEqual(await ids('2025-01-06', '2025-01-06'), ['2501.00042', '2501.00041', '2501.00043']);
  assert.deepEqual(await ids('2025-01-06', '2025-01-08', { sort: 'newest' }), [
    '2501.00044',
    '2501.00041',
    '2501.00042',
    '2501.00043',
  ]);
  assert.deepEqual(await ids('2025-01-01', '2025-01-31', { limit: 2, offset: 1 }), [
    '2501.00042',
    '2501.00041',
  ]);
  assert.equal(await store.countByDays({ fromDay: '2025-01-06', toDay: '2025-01-08' }), 4);
  assert.equal(await store.latestDay(), '2025-01-10');
  assert.equal(await store.latestDay('2025-01-09'), '2025-01-08');
  assert.deepEqual(await store.adjacentDays('2025-01-08'), { previous: '2025-01-06', next: '2025-01-10' });
  assert.deepEqual(await store.adjacentDays('2025-01-07'), { previous: '2025-01-06', next: '2025-01-08' });
  await store.close();
});
