import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import type { Member } from '../src/domain/member.ts';
import { parseSearchQuery } from '../src/domain/search-query.ts';
import { openSqliteStore } from '../src/store/sqlite/index.ts';
import { DuplicateError, NotFoundError } from '../src/store/store.ts';
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
  const applied = db.prepare('SELECT name FROM schema_migrations ORDER BY name').pluck().all() as string[];
  assert.deepEqual(applied.slice(0, 2), ['001-catalog', '002-community']);
  assert.ok(applied.includes('004-search'));
  assert.equal(new Set(applied).size, applied.length, 'each migration recorded once');
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
    (await store.listPapers({ days: { fromDay: from, toDay: to } }, options)).map((paper) => paper.id);
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
  assert.equal(await store.countPapers({ days: { fromDay: '2025-01-06', toDay: '2025-01-08' } }), 4);
  assert.equal(await store.latestDay(), '2025-01-10');
  assert.equal(await store.latestDay('2025-01-09'), '2025-01-08');
  assert.deepEqual(await store.adjacentDays('2025-01-08'), { previous: '2025-01-06', next: '2025-01-10' });
  assert.deepEqual(await store.adjacentDays('2025-01-07'), { previous: '2025-01-06', next: '2025-01-08' });
  await store.close();
});

test('members: unique username and email (case-insensitive), login by either, sessions expire', async () => {
  const store = await freshStore();
  const ada = await store.createMember({
    username: 'ada',
    email: 'ada@example.org',
    passwordHash: 'h1',
    role: 'admin',
  });
  assert.equal(ada.role, 'admin');
  await assert.rejects(
    store.createMember({ username: 'ADA', email: 'x@example.org', passwordHash: 'h', role: 'member' }),
    (error: Error) => error instanceof DuplicateError && error.field === 'username',
  );
  await assert.rejects(
    store.createMember({ username: 'bob', email: 'Ada@Example.org', passwordHash: 'h', role: 'member' }),
    (error: Error) => error instanceof DuplicateError && error.field === 'email',
  );
  assert.equal((await store.findMemberForLogin('ADA@example.org'))?.passwordHash, 'h1');
  assert.equal((await store.findMemberForLogin('Ada'))?.id, ada.id);
  assert.equal(await store.findMemberForLogin('nobody'), null);

  await store.createSession('t1', ada.id, '2030-01-01T00:00:00.000Z');
  await store.createSession('t2', ada.id, '2030-01-01T00:00:00.000Z');
  assert.equal((await store.getSessionMember('t1', '2029-12-31T00:00:00.000Z'))?.username, 'ada');
  assert.equal(await store.getSessionMember('t1', '2030-01-02T00:00:00.000Z'), null, 'expired');
  await store.deleteOtherSessions(ada.id, 't1');
  assert.equal(await store.getSessionMember('t2', '2029-01-01T00:00:00.000Z'), null);
  await store.deleteSession('t1');
  assert.equal(await store.getSessionMember('t1', '2029-01-01T00:00:00.000Z'), null);
  await store.close();
});

test('rate limits: a fixed window per key', async () => {
  const store = await freshStore();
  const t0 = new Date('2026-11-25T00:00:00Z');
  const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
  for (let i = 0; i < 3; i++)
    assert.equal((await store.hitRateLimit('login:1.2.3.4', 3, 60, at(i))).allowed, true);
  assert.deepEqual(await store.hitRateLimit('login:1.2.3.4', 3, 60, at(10)), {
    allowed: false,
    retryAfterSeconds: 50,
  });
  assert.equal((await store.hitRateLimit('login:5.6.7.8', 3, 60, at(10))).allowed, true, 'keys are separate');
  assert.equal((await store.hitRateLimit('login:1.2.3.4', 3, 60, at(61))).allowed, true, 'a new window');
  await store.close();
});

test('upvotes: one per member, undo, exact counts on top of imported ones', async () => {
  const store = await freshStore();
  await store.writeBatch([listedOn('2025-01-06', '2501.00050', { importedUpvotes: 10 })]);
  const members = await Promise.all(
    ['m1', 'm2', 'm3'].map((name) =>
      store.createMember({ username: name, email: `${name}@x.org`, passwordHash: 'h', role: 'member' }),
    ),
  );
  const [m1, m2] = members as [Member, Member];
  assert.deepEqual(await store.setUpvote(m1.id, '2501.00050', true), { upvotes: 11, upvoted: true });
  assert.deepEqual(
    await store.setUpvote(m1.id, '2501.00050', true),
    { upvotes: 11, upvoted: true },
    'once only',
  );
  assert.deepEqual(await store.setUpvote(m2.id, '2501.00050', true), { upvotes: 12, upvoted: true });
  assert.deepEqual(await store.setUpvote(m1.id, '2501.00050', false), { upvotes: 11, upvoted: false });
  assert.deepEqual(await store.setUpvote(m1.id, '2501.00050', false), { upvotes: 11, upvoted: false });
  assert.deepEqual([...(await store.upvotedBy(m2.id, ['2501.00050', 'x']))], ['2501.00050']);
  await assert.rejects(store.setUpvote(m1.id, '2501.99999', true), NotFoundError);
  assert.equal((await store.getPaper('2501.00050'))?.upvotes, 11);
  await store.close();
});

test('comments: one level of threading, counts, hiding', async () => {
  const store = await freshStore();
  await store.writeBatch([paperRecord('2501.00060', { importedComments: 2 }), paperRecord('2501.00061')]);
  const ada = await store.createMember({
    username: 'ada',
    email: 'a@x.org',
    passwordHash: 'h',
    role: 'member',
  });
  const top = await store.addComment({
    paperId: '2501.00060',
    memberId: ada.id,
    parentId: null,
    body: 'Nice <b>',
  });
  const reply = await store.addComment({
    paperId: '2501.00060',
    memberId: ada.id,
    parentId: top.id,
    body: 'r1',
  });
  const nested = await store.addComment({
    paperId: '2501.00060',
    memberId: ada.id,
    parentId: reply.id,
    body: 'r2',
  });
  assert.equal(reply.parentId, top.id);
  assert.equal(nested.parentId, top.id, 'a reply to a reply joins the top thread');
  assert.equal(top.author, 'ada');
  assert.equal(top.body, 'Nice <b>');
  await assert.rejects(
    store.addComment({ paperId: '2501.00061', memberId: ada.id, parentId: top.id, body: 'x' }),
    NotFoundError,
  );
  assert.equal((await store.getPaper('2501.00060'))?.numComments, 5);
  await store.setCommentHidden(reply.id, true);
  await store.setCommentHidden(reply.id, true);
  assert.equal((await store.getPaper('2501.00060'))?.numComments, 4);
  assert.deepEqual(
    (await store.listComments('2501.00060')).map((comment) => comment.body),
    ['Nice <b>', 'r2'],
  );
  assert.equal((await store.listComments('2501.00060', { includeHidden: true })).length, 3);
  await store.close();
});

test('filters: author, organization, submitter; hidden papers drop out of lists', async () => {
  const store = await freshStore();
  const org = { name: 'acme', fullName: 'Acme', avatarUrl: null };
  await store.writeBatch([
    listedOn('2025-01-06', '2501.00070', { organization: org }),
    paperRecord('2501.00071', {
      authors: [{ name: 'Grace Hopper', hfId: null, hidden: false }],
      organization: org,
    }),
  ]);
  assert.equal(await store.countPapers({ author: 'Ada Lovelace' }), 1);
  assert.equal(await store.countPapers({ author: 'Grace Hopper' }), 1);
  assert.deepEqual(
    (await store.listPapers({ organization: 'acme' }, { sort: 'newest' })).map((paper) => paper.id).sort(),
    ['2501.00070', '2501.00071'],
  );
  const ada = await store.createMember({
    username: 'ada',
    email: 'a@x.org',
    passwordHash: 'h',
    role: 'member',
  });
  assert.equal(await store.listSubmission('2501.00071', '2025-01-07', ada, '2025-01-07T12:00:00.000Z'), true);
  assert.equal(
    await store.listSubmission('2501.00071', '2025-01-08', ada, '2025-01-08T12:00:00.000Z'),
    false,
  );
  assert.equal(await store.countSubmissionsSince(ada.id, '2025-01-07T00:00:00.000Z'), 1);
  assert.deepEqual(
    (await store.listPapers({ submitter: 'ada' })).map((paper) => paper.id),
    ['2501.00071'],
  );
  await store.setPaperHidden('2501.00071', true);
  assert.equal(await store.countPapers({ organization: 'acme' }), 1);
  await assert.rejects(store.setPaperHidden('2501.99999', true), NotFoundError);
  await store.close();
});

test('keyword search: stemmed words, title weighted, FTS syntax is inert, index follows updates', async () => {
  const store = await freshStore();
  await store.writeBatch([
    paperRecord('2501.00080', { title: 'Reinforcement learning heuristics', abstract: 'We study planning.' }),
    paperRecord('2501.00081', {
      title: 'Planning',
      abstract: 'Heuristic search for reinforcement learners.',
    }),
  ]);
  const ids = async (words: string[]) =>
    (await store.keywordSearch({ ...parseSearchQuery('x'), words }, 10)).map((hit) => hit.id);
  assert.deepEqual(await ids(['heuristic', 'reinforcement']), ['2501.00080', '2501.00081']);
  for (const nasty of ['"', 'title:x', 'a OR b', 'NEAR(a b)', '*', '(', "'; DROP TABLE papers; --"]) {
    assert.deepEqual(await ids([nasty]), [], nasty);
  }
  await store.writeBatch([
    paperRecord('2501.00081', { version: 2, title: 'Graph transformers', abstract: 'None.' }),
  ]);
  assert.deepEqual(await ids(['heuristic']), ['2501.00080']);
  assert.deepEqual(await ids(['transformer']), ['2501.00081']);
  await store.close();
});

test('trending candidates: recent listings and votes, stars gained from the snapshot history', async () => {
  const path = join(dir, 'trending.db');
  const store = await openSqliteStore(path);
  await store.writeBatch([
    listedOn('2026-11-20', '2611.00001', { importedUpvotes: 4, githubStars: 10 }),
    listedOn('2026-01-01', '2601.00001', { importedUpvotes: 50 }),
  ]);
  const db = new Database(path);
  db.prepare("UPDATE github_star_snapshots SET observed_at = '2026-11-10T00:00:00.000Z'").run();
  db.close();
  await store.writeBatch([listedOn('2026-11-20', '2611.00001', { importedUpvotes: 4, githubStars: 25 })]);
  const candidates = await store.trendingCandidates('2026-11-11T00:00:00.000Z', '2026-11-18T00:00:00.000Z');
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
