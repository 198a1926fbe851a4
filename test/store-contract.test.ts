// The Store contract (src/store/store.ts), run unchanged against every store kind: SQLite and PostgreSQL.
// Each test gets a fresh database; tests about several processes open several store instances on one database.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Member } from '../src/domain/member.ts';
import { parseSearchQuery, type SearchQuery } from '../src/domain/search-query.ts';
import { type DigestTopics, NO_TOPICS } from '../src/domain/subscription.ts';
import { MailError, type Mailer, type RawMail } from '../src/mail/mailer.ts';
import { sendDigests } from '../src/services/digests.ts';
import { MailLinks } from '../src/services/mail-links.ts';
import { openPostgresStore } from '../src/store/postgres/index.ts';
import { DuplicateError, HiddenPaperError, NotFoundError, type Store } from '../src/store/store.ts';
import { peopleContract } from './helpers/people-contract.ts';
import { personalStoreContract } from './helpers/personal-store-contract.ts';
import { author, listedOn, paperRecord, searchCorpus } from './helpers/records.ts';
import { freshDatabase, STORE_KINDS, type StoreDatabase, skipStoreKind } from './helpers/stores.ts';
import { AREA_METHODS, recorded, type StoreArea, uncalled } from './store/support/methods.ts';

/** Every method of the Store interface: tsc fails here when one is added without being listed. */
const STORE_METHODS = ['dataVersion', 'close'] as const satisfies ReadonlyArray<keyof Store>;
/** The Store's properties that are not methods. */
type StoreProperties = StoreArea | 'rateLimits' | 'sessions' | 'waitingWriters';
type Unlisted = Exclude<keyof Store, (typeof STORE_METHODS)[number] | StoreProperties>;
const everyMethodListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyMethodListed;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const range = (n: number) => Array.from({ length: n }, (_, index) => index);
const words = (list: string[]): SearchQuery => ({ ...parseSearchQuery('x'), words: list });
const member = (store: Store, username: string, role: 'member' | 'admin' = 'member') =>
  store.members.createMember({
    username,
    email: `${username}@example.org`,
    passwordHash: `hash-${username}`,
    role,
  });
const isIsoTime = (value: string) => !Number.isNaN(Date.parse(value)) && /^\d{4}-\d{2}-\d{2}T/.test(value);

/** Instances opened one after the other: the first one migrates the fresh database. */
async function openSeveral(database: StoreDatabase, count: number): Promise<Store[]> {
  const stores: Store[] = [];
  for (let i = 0; i < count; i++) stores.push(await database.open());
  return stores;
}

const CHILD = fileURLToPath(new URL('./helpers/store-child.ts', import.meta.url));

/** Runs test/helpers/store-child.ts: another process opening the same database and writing one paper. */
function writeFromAnotherProcess(database: StoreDatabase, paperId: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, database.kind, database.url, paperId], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`the writer process exited with ${code}: ${output}`)),
    );
  });
}

for (const kind of STORE_KINDS) {
  describe(kind, { skip: skipStoreKind(kind) }, () => {
    const calls = new Set<string>();

    /** A fresh database of this kind, released when the test ends; its stores note the methods called. */
    async function freshDb(t: { after(fn: () => Promise<void>): void }): Promise<StoreDatabase> {
      const database = await freshDatabase(kind, t);
      return { ...database, open: async () => recorded(await database.open(), calls) };
    }
    const fresh = async (t: { after(fn: () => Promise<void>): void }) => (await freshDb(t)).open();

    personalStoreContract(freshDb);

    describe('papers and imports', () => {
      test('an import hears whether the site’s writes waited for its batches (SQLite’s one write lock)', async (t) => {
        const [importer, site] = await openSeveral(await freshDb(t), 2);
        if (!importer || !site) throw new Error('two stores');
        const started = Date.now();
        assert.equal(importer.waitingWriters.waitedSince(started), false, 'nobody waited yet');
        const batch = await importer.papers.beginImport();
        const hit = site.rateLimits.hitAll(
          [{ key: 'vote:ip:1.2.3.4', limit: 5, windowSeconds: 60 }],
          new Date(),
        );
        await sleep(50);
        const waited = importer.waitingWriters.waitedSince(started);
        await batch.commit();
        assert.equal((await hit).allowed, true, 'the waiting write went through after the batch');
        assert.equal(waited, kind === 'sqlite', 'only SQLite’s writes wait for another connection’s batch');
        assert.equal(importer.waitingWriters.waitedSince(Date.now() + 1000), false, 'not before it waited');
      });

      test('a paper round-trips every field; unknown ids are left out', async (t) => {
        const store = await fresh(t);
        await store.papers.writeBatch([
          paperRecord('2501.00002', {
            source: 'huggingface',
            version: 2,
            title: 'Attention $O(n)$ for “Schrödinger’s” cat — 𝒪(n) ✓',
            abstract: 'Line one.\n\nLine two with \'quotes\', "double", back\\slash, NUL-free; 日本語.',
            authors: [
              { name: 'Grace Hopper', hfId: 'abc', hidden: true },
              { name: 'Émilie du Châtelet', hfId: null, hidden: false },
            ],
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
            hfExtra: {
              paper: { discussionId: '6650a1', title: 'Attention  $O(n)$', mediaUrls: ['https://a.b/v.mp4'] },
              isAuthorParticipating: true,
              note: 'Ünïcode\n  spacing kept',
            },
          }),
          paperRecord('hep-th/9901001', { authors: range(30).map((i) => author(`Author ${i}`)) }),
        ]);
        const paper = await store.papers.getPaper('2501.00002');
        assert.deepEqual(paper, {
          id: '2501.00002',
          version: 2,
          title: 'Attention $O(n)$ for “Schrödinger’s” cat — 𝒪(n) ✓',
          abstract: 'Line one.\n\nLine two with \'quotes\', "double", back\\slash, NUL-free; 日本語.',
          authors: [
            { name: 'Grace Hopper', hfId: 'abc', hidden: true },
            { name: 'Émilie du Châtelet', hfId: null, hidden: false },
          ],
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
          numComments: 0,
          importedComments: 3,
          daily: {
            day: '2025-01-06',
            submittedBy: { user: 'ada', fullname: 'Ada L', avatarUrl: '/a.png' },
            submittedAt: '2025-01-06T10:00:00.000Z',
          },
          hidden: false,
          hfExtra: {
            paper: { discussionId: '6650a1', title: 'Attention  $O(n)$', mediaUrls: ['https://a.b/v.mp4'] },
            isAuthorParticipating: true,
            note: 'Ünïcode\n  spacing kept',
          },
        });
        assert.deepEqual(await store.papers.getPaper('hep-th/9901001'), {
          id: 'hep-th/9901001',
          version: null,
          title: 'Paper hep-th/9901001',
          abstract: 'Abstract of hep-th/9901001.',
          authors: range(30).map((i) => author(`Author ${i}`)),
          categories: ['cs.LG'],
          publishedAt: null,
          updatedAt: null,
          comment: null,
          journalRef: null,
          doi: null,
          license: null,
          absUrl: 'https://arxiv.org/abs/hep-th/9901001',
          pdfUrl: 'https://arxiv.org/pdf/hep-th/9901001',
          githubRepo: null,
          githubStars: null,
          projectPage: null,
          thumbnail: null,
          organization: null,
          aiSummary: null,
          aiKeywords: [],
          upvotes: 0,
          numComments: 0,
          importedComments: 0,
          daily: null,
          hidden: false,
          hfExtra: null,
        });
        assert.equal(await store.papers.getPaper('2501.99999'), null);
        assert.deepEqual(
          (await store.papers.getPapers(['hep-th/9901001', '2501.99999', '2501.00002'])).map((p) => p.id),
          ['hep-th/9901001', '2501.00002'],
          'in the order given, unknown ids left out',
        );
        assert.deepEqual(await store.papers.getPapers([]), []);

        // PostgreSQL text cannot hold NUL: a stray one in imported text must not fail the import.
        await store.papers.writeBatch([
          paperRecord('2501.00009', { title: 'Before\u0000after', abstract: 'x\u0000y' }),
        ]);
        assert.equal(
          (await store.papers.getPaper('2501.00009'))?.title.replaceAll('\u0000', ''),
          'Beforeafter',
        );
      });

      test("Hugging Face's own fields stay as imported when arXiv later replaces the metadata", async (t) => {
        const store = await fresh(t);
        const hfExtra = {
          paper: { discussionId: 'd1', authors: [{ _id: 'a1', name: 'Ada', status: 'claimed' }] },
        };
        await store.papers.writeBatch([paperRecord('2501.00003', { source: 'huggingface', hfExtra })]);
        await store.papers.writeBatch([paperRecord('2501.00003', { title: 'From arXiv', version: 2 })]);
        const paper = await store.papers.getPaper('2501.00003');
        assert.equal(paper?.title, 'From arXiv');
        assert.deepEqual(paper?.hfExtra, hfExtra);
        const later = { ...hfExtra, isAuthorParticipating: false };
        await store.papers.writeBatch([paperRecord('2501.00003', { source: 'huggingface', hfExtra: later })]);
        assert.deepEqual(
          (await store.papers.getPaper('2501.00003'))?.hfExtra,
          later,
          'a newer import replaces it',
        );
      });

      test('writing the same batch again changes nothing', async (t) => {
        const store = await fresh(t);
        const batch = [
          listedOn('2025-01-06', '2501.00003', {
            organization: { name: 'o', fullName: 'O', avatarUrl: null },
          }),
          paperRecord('hep-th/9901001', { version: 1, githubStars: 4 }),
        ];
        assert.deepEqual(await store.papers.writeBatch(batch), { inserted: 2, updated: 0, unchanged: 0 });
        const before = await store.papers.getPapers(['2501.00003', 'hep-th/9901001']);
        assert.deepEqual(await store.papers.writeBatch(batch), { inserted: 0, updated: 0, unchanged: 2 });
        assert.deepEqual(await store.papers.getPapers(['2501.00003', 'hep-th/9901001']), before);
        assert.equal(await store.papers.countPapers(), 2);
        assert.deepEqual(await store.papers.writeBatch([]), { inserted: 0, updated: 0, unchanged: 0 });
      });

      test('a newer version replaces metadata, an older one never does; arXiv outranks Hugging Face', async (t) => {
        const store = await fresh(t);
        await store.papers.writeBatch([paperRecord('2501.00004', { version: 2, title: 'v2 title' })]);
        assert.equal(
          (await store.papers.writeBatch([paperRecord('2501.00004', { version: 1, title: 'v1 title' })]))
            .unchanged,
          1,
        );
        assert.equal((await store.papers.getPaper('2501.00004'))?.title, 'v2 title');
        assert.deepEqual(
          await store.papers.writeBatch([
            paperRecord('2501.00004', { version: 3, title: 'v3 title', authors: [author('New Author')] }),
          ]),
          { inserted: 0, updated: 1, unchanged: 0 },
        );
        const v3 = await store.papers.getPaper('2501.00004');
        assert.equal(v3?.title, 'v3 title');
        assert.equal(v3?.version, 3);
        assert.deepEqual(v3?.authors, [author('New Author')]);

        await store.papers.writeBatch([paperRecord('2501.00005', { title: 'arXiv title' })]);
        await store.papers.writeBatch([
          paperRecord('2501.00005', { source: 'huggingface', title: 'HF title', importedUpvotes: 9 }),
        ]);
        const merged = await store.papers.getPaper('2501.00005');
        assert.equal(merged?.title, 'arXiv title');
        assert.equal(merged?.upvotes, 9, 'Hugging Face fields still arrive');
        assert.equal(
          (await store.papers.writeBatch([paperRecord('2501.00005', { title: 'arXiv title' })])).unchanged,
          1,
        );
      });

      test('undefined keeps a stored value, null clears it; categories and organizations follow', async (t) => {
        const store = await fresh(t);
        await store.papers.writeBatch([
          paperRecord('2501.00006', {
            githubRepo: 'https://github.com/x/y',
            githubStars: 5,
            aiKeywords: ['a'],
            organization: { name: 'acme', fullName: null, avatarUrl: null },
          }),
        ]);
        await store.papers.writeBatch([
          paperRecord('2501.00006', {
            githubStars: 6,
            categories: ['math.CO', 'cs.DM'],
            organization: { name: 'acme', fullName: 'Acme Labs', avatarUrl: null },
          }),
        ]);
        let paper = await store.papers.getPaper('2501.00006');
        assert.equal(paper?.githubRepo, 'https://github.com/x/y');
        assert.equal(paper?.githubStars, 6);
        assert.deepEqual(paper?.aiKeywords, ['a']);
        assert.deepEqual(paper?.categories, ['math.CO', 'cs.DM']);
        assert.deepEqual(paper?.organization, { name: 'acme', fullName: 'Acme Labs', avatarUrl: null });
        await store.papers.writeBatch([
          paperRecord('2501.00006', { githubRepo: null, aiKeywords: null, organization: null }),
        ]);
        paper = await store.papers.getPaper('2501.00006');
        assert.equal(paper?.githubRepo, null);
        assert.deepEqual(paper?.aiKeywords, []);
        assert.equal(paper?.organization, null);
      });

      test('a paper stays on its first day; a later listing fills a missing submitter only', async (t) => {
        const store = await fresh(t);
        await store.papers.writeBatch([listedOn('2025-01-06', '2501.00007')]);
        const submittedBy = { user: 'bob', fullname: null, avatarUrl: null };
        await store.papers.writeBatch([
          paperRecord('2501.00007', {
            daily: { day: '2025-01-09', submittedBy, submittedAt: '2025-01-09T00:00:00.000Z' },
          }),
        ]);
        const paper = await store.papers.getPaper('2501.00007');
        assert.equal(paper?.daily?.day, '2025-01-06');
        assert.deepEqual(paper?.daily?.submittedBy, submittedBy);
        await store.papers.writeBatch([
          paperRecord('2501.00007', {
            daily: {
              day: '2025-01-10',
              submittedBy: { user: 'carol', fullname: null, avatarUrl: null },
              submittedAt: null,
            },
          }),
        ]);
        assert.deepEqual(
          (await store.papers.getPaper('2501.00007'))?.daily?.submittedBy,
          submittedBy,
          'kept',
        );
        assert.equal(await store.papers.latestDay(), '2025-01-06');
      });

      test('a failed batch leaves nothing behind, inside an import or not; rollback restores everything', async (t) => {
        const database = await freshDb(t);
        const store = await database.open();
        const other = await database.open();
        const broken = paperRecord('2501.00012', { title: null as unknown as string });
        await store.papers.writeBatch([listedOn('2025-01-05', '2501.00010')]);

        await assert.rejects(
          store.papers.writeBatch([listedOn('2025-01-09', '2501.00009'), broken], {
            key: 'k',
            value: 'lost',
          }),
        );
        assert.equal(await store.papers.getPaper('2501.00009'), null, 'a failed batch writes nothing');
        assert.equal(await store.papers.getImportCursor('k'), null, 'nor its cursor');
        assert.equal(await store.papers.latestDay(), '2025-01-05', 'nor its listing');

        const tx = await store.papers.beginImport();
        await assert.rejects(store.papers.beginImport(), 'one import at a time');
        assert.deepEqual(await tx.writeBatch([listedOn('2025-01-06', '2501.00011')]), {
          inserted: 1,
          updated: 0,
          unchanged: 0,
        });
        await assert.rejects(
          tx.writeBatch(
            [
              listedOn('2025-01-07', '2501.00013', {
                organization: { name: 'ghost', fullName: null, avatarUrl: null },
              }),
              paperRecord('2501.00010', { version: 5, title: 'changed by a failed batch' }),
              broken,
            ],
            { key: 'k', value: 'lost' },
          ),
        );
        assert.equal(await other.papers.getPaper('2501.00011'), null, 'not visible to others before commit');
        assert.equal(await other.papers.countPapers(), 1);
        await tx.commit();
        assert.ok(await store.papers.getPaper('2501.00011'));
        assert.ok(await other.papers.getPaper('2501.00011'), 'visible to others after commit');
        assert.equal(await store.papers.getPaper('2501.00013'), null, 'the failed batch left nothing');
        assert.equal((await store.papers.getPaper('2501.00010'))?.title, 'Paper 2501.00010');
        assert.equal(await store.papers.countPapers({ organization: 'ghost' }), 0);
        assert.equal(await store.papers.getImportCursor('k'), null);
        assert.equal(await store.papers.latestDay(), '2025-01-06');
        assert.deepEqual(
          (await store.papers.keywordSearch(words(['2501', 'paper']), 10)).map((hit) => hit.id).sort(),
          ['2501.00010', '2501.00011'],
          'papers of a committed import are searchable',
        );

        const rolledBack = await store.papers.beginImport();
        await rolledBack.writeBatch([
          listedOn('2025-01-20', '2501.00020', {
            authors: [author('Rolled Back')],
            organization: { name: 'rolled', fullName: 'Rolled Org', avatarUrl: null },
          }),
          paperRecord('2501.00010', { version: 6, title: 'changed', githubStars: 99 }),
        ]);
        await rolledBack.writeBatch([paperRecord('2501.00021')], { key: 'k', value: 'rolled back' });
        await rolledBack.rollback();
        assert.equal(await store.papers.getPaper('2501.00020'), null);
        assert.equal(await store.papers.getPaper('2501.00021'), null);
        const restored = await store.papers.getPaper('2501.00010');
        assert.equal(restored?.title, 'Paper 2501.00010');
        assert.equal(restored?.githubStars, null);
        assert.equal(await store.papers.latestDay(), '2025-01-06');
        assert.equal(await store.papers.getImportCursor('k'), null);
        assert.equal(await store.papers.countPapers({ author: 'Rolled Back' }), 0);
        assert.deepEqual(await store.papers.keywordSearch(words(['changed']), 10), []);

        // What the rolled-back import created (author, organization) is created again on the next write.
        await store.papers.writeBatch([
          listedOn('2025-01-21', '2501.00022', {
            authors: [author('Rolled Back')],
            organization: { name: 'rolled', fullName: 'Rolled Org', avatarUrl: null },
          }),
        ]);
        const again = await other.papers.getPaper('2501.00022');
        assert.deepEqual(again?.organization, { name: 'rolled', fullName: 'Rolled Org', avatarUrl: null });
        assert.deepEqual(again?.authors, [author('Rolled Back')]);
        assert.equal(await other.papers.countPapers({ author: 'Rolled Back' }), 1);

        const next = await store.papers.beginImport();
        await next.writeBatch([paperRecord('2501.00023')]);
        await next.commit();
        assert.ok(await other.papers.getPaper('2501.00023'), 'a new import can start after one ended');
      });

      test('repeats inside one batch: the same paper twice, an author twice, an organization twice', async (t) => {
        const store = await fresh(t);
        const org = (fullName: string) => ({ name: 'lab', fullName, avatarUrl: null });
        assert.deepEqual(
          await store.papers.writeBatch([
            listedOn('2025-01-06', '2501.00001', {
              version: 1,
              title: 'First',
              organization: org('Lab One'),
            }),
            paperRecord('2501.00002', {
              authors: [author('Wei Zhang'), author('Ada Lovelace'), author('Wei Zhang')],
              organization: org('Lab Two'),
            }),
            listedOn('2025-01-07', '2501.00001', {
              version: 2,
              title: 'Second',
              organization: org('Lab Two'),
            }),
          ]),
          { inserted: 2, updated: 1, unchanged: 0 },
        );
        const [first, second] = await store.papers.getPapers(['2501.00001', '2501.00002']);
        assert.equal(first?.title, 'Second', 'the later record of a batch wins');
        assert.equal(first?.daily?.day, '2025-01-06', 'still on its first day');
        assert.deepEqual(
          second?.authors.map((a) => a.name),
          ['Wei Zhang', 'Ada Lovelace', 'Wei Zhang'],
          'two authors of one name',
        );
        assert.deepEqual(first?.organization, org('Lab Two'));
        assert.equal(await store.papers.countPapers({ author: 'Wei Zhang' }), 1);
        const tx = await store.papers.beginImport();
        await tx.writeBatch([
          paperRecord('2501.00003'),
          paperRecord('2501.00003', { version: 2, title: 'Again' }),
        ]);
        await tx.commit();
        assert.equal((await store.papers.getPaper('2501.00003'))?.title, 'Again');
      });

      test('the sizes services use: batches of 2,000 papers, thousands of ids per call', async (t) => {
        const store = await fresh(t);
        const day = (i: number) => `2025-01-${String(1 + (i % 28)).padStart(2, '0')}`;
        const id = (i: number) => `2502.${String(i).padStart(5, '0')}`;
        const records = range(2000).map((i) =>
          listedOn(day(i), id(i), {
            version: 1,
            authors: range(12).map((a) => author(`Author ${(i * 7 + a) % 3000}`)),
            categories: ['cs.LG', `cs.${String.fromCharCode(65 + (i % 26))}A`, 'stat.ML'],
            organization: { name: `org${i % 50}`, fullName: `Org ${i % 50}`, avatarUrl: null },
            githubStars: i,
            importedUpvotes: i % 97,
            aiKeywords: ['a', 'b'],
          }),
        );
        const tx = await store.papers.beginImport();
        assert.deepEqual(await tx.writeBatch(records), { inserted: 2000, updated: 0, unchanged: 0 });
        await tx.commit();
        assert.deepEqual(
          await store.papers.writeBatch(
            records.map((record) => ({ ...record, version: 2, title: `${record.title} v2` })),
          ),
          { inserted: 0, updated: 2000, unchanged: 0 },
        );
        assert.equal(await store.papers.countPapers(), 2000);
        const ids = range(2000).map(id);
        const papers = await store.papers.getPapers([...ids].reverse());
        assert.equal(papers.length, 2000);
        assert.equal(papers[0]?.id, id(1999));
        assert.equal(papers[0]?.authors.length, 12);
        assert.equal(papers[0]?.title, `Paper ${id(1999)} v2`);
        const many = [...ids, ...range(18_000).map((i) => `2601.${String(i).padStart(5, '0')}`)];
        assert.equal((await store.papers.searchSignals(many)).size, 2000);
        assert.equal(
          (await store.papers.filterSearchHits(many, parseSearchQuery('paper cat:cs.LG'))).size,
          2000,
        );
        const voter = await member(store, 'voter');
        await store.engagement.setUpvote(voter.id, id(5), true);
        assert.deepEqual([...(await store.engagement.upvotedBy(voter.id, many))], [id(5)]);
        assert.equal(
          (
            await store.papers.listPapers(
              { days: { fromDay: '2025-01-01', toDay: '2025-01-31' } },
              { limit: 20_000 },
            )
          ).length,
          2000,
        );
        assert.equal((await store.papers.keywordSearch(parseSearchQuery('paper v2'), 2000)).length, 2000);

        await store.vectors.setEmbeddingModel('m', Buffer.from([1]));
        const vector = Float32Array.from({ length: 256 }, (_, i) => i / 256);
        for (let after = 0, page = 0; page < 2; page++) {
          const batch = await store.vectors.papersToEmbed('m', after, 1000);
          after = batch[batch.length - 1]?.position ?? after;
          assert.equal(batch.length, 1000);
          await store.vectors.saveVectors(
            'm',
            batch.map((paper) => ({ id: paper.id, vector })),
          );
        }
        assert.equal(await store.vectors.countPapersToEmbed('m'), 0);
        const vectors = await store.vectors.readVectors('m', 0, 5000);
        assert.equal(vectors.length, 2000);
        assert.deepEqual([...(vectors[1999]?.vector ?? [])], [...vector]);

        const now = '2026-11-24T12:00:00.000Z';
        const subscriptions = [];
        for (let i = 0; i < 600; i++)
          subscriptions.push(
            await store.subscriptions.createSubscription(
              { email: `s${i}@example.org`, frequency: 'daily', topics: NO_TOPICS, memberId: null },
              now,
            ),
          );
        await store.digests.claimDigests(
          subscriptions.map((subscription) => ({
            subscriptionId: subscription.id,
            period: 'daily:2026-11-24',
            status: 'pending' as const,
            paperIds: ids.slice(0, 10),
            messageId: `<${subscription.id}@x>`,
          })),
          now,
        );
        const sent = await store.digests.sentPaperIds(
          subscriptions.map((subscription) => subscription.id),
          '2026-01-01T00:00:00.000Z',
        );
        assert.equal(sent.size, 600);
      });

      test('a cursor is saved with its batch and can be cleared', async (t) => {
        const store = await fresh(t);
        assert.equal(await store.papers.getImportCursor('oai x'), null);
        await store.papers.writeBatch([paperRecord('2501.00030')], { key: 'oai x', value: 'token-1' });
        assert.equal(await store.papers.getImportCursor('oai x'), 'token-1');
        const tx = await store.papers.beginImport();
        await tx.writeBatch([paperRecord('2501.00031')], { key: 'oai x', value: 'token-2' });
        await tx.rollback();
        assert.equal(await store.papers.getImportCursor('oai x'), 'token-1');
        const committed = await store.papers.beginImport();
        await committed.writeBatch([paperRecord('2501.00032')], { key: 'oai x', value: 'token-3' });
        await committed.writeBatch([paperRecord('2501.00033')], { key: 'other', value: 'token-a' });
        await committed.commit();
        assert.equal(await store.papers.getImportCursor('oai x'), 'token-3');
        assert.equal(await store.papers.getImportCursor('other'), 'token-a');
        await store.papers.clearImportCursor('oai x');
        assert.equal(await store.papers.getImportCursor('oai x'), null);
        assert.equal(await store.papers.getImportCursor('other'), 'token-a');
        await store.papers.clearImportCursor('never set');
      });
    });

    describe('lists', () => {
      test('day lists: upvotes first, ties in listing order; newest; paging; hidden left out; adjacent days', async (t) => {
        const store = await fresh(t);
        assert.equal(await store.papers.latestDay(), null, 'an empty store has no day');
        assert.deepEqual(await store.papers.adjacentDays('2025-01-06'), { previous: null, next: null });
        await store.papers.writeBatch([
          listedOn('2025-01-06', '2501.00041', { importedUpvotes: 5 }),
          listedOn('2025-01-06', '2501.00042', { importedUpvotes: 9 }),
          listedOn('2025-01-06', '2501.00043', { importedUpvotes: 5 }),
          listedOn('2025-01-08', '2501.00044', { importedUpvotes: 1 }),
          listedOn('2025-01-10', '2501.00045', { importedUpvotes: 100 }),
          listedOn('2025-01-10', '2501.00046', { importedUpvotes: 1000 }),
        ]);
        await store.papers.setPaperHidden('2501.00046', true);
        const ids = async (from: string, to: string, options = {}) =>
          (await store.papers.listPapers({ days: { fromDay: from, toDay: to } }, options)).map(
            (paper) => paper.id,
          );
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
        assert.deepEqual(await ids('2025-01-01', '2025-01-31', { limit: 2, offset: 10 }), []);
        assert.deepEqual(await ids('2025-01-10', '2025-01-10', { includeHidden: true }), [
          '2501.00046',
          '2501.00045',
        ]);
        assert.deepEqual(await ids('2025-01-11', '2025-01-31'), []);
        assert.equal(
          await store.papers.countPapers({ days: { fromDay: '2025-01-06', toDay: '2025-01-08' } }),
          4,
        );
        assert.equal(
          await store.papers.countPapers({ days: { fromDay: '2025-01-10', toDay: '2025-01-10' } }),
          1,
        );
        assert.equal(await store.papers.countPapers(), 5, 'hidden papers are not counted');
        assert.equal(await store.papers.latestDay(), '2025-01-10');
        assert.equal(await store.papers.latestDay('2025-01-09'), '2025-01-08');
        assert.equal(await store.papers.latestDay('2025-01-08'), '2025-01-08');
        assert.equal(await store.papers.latestDay('2025-01-01'), null);
        assert.deepEqual(await store.papers.adjacentDays('2025-01-08'), {
          previous: '2025-01-06',
          next: '2025-01-10',
        });
        assert.deepEqual(await store.papers.adjacentDays('2025-01-07'), {
          previous: '2025-01-06',
          next: '2025-01-08',
        });
        assert.deepEqual(await store.papers.adjacentDays('2025-01-06'), {
          previous: null,
          next: '2025-01-08',
        });
        assert.deepEqual(await store.papers.adjacentDays('2025-01-10'), {
          previous: '2025-01-08',
          next: null,
        });
      });

      test('all papers, newest first: listed ones by day, then the others by arXiv date, undated last', async (t) => {
        const store = await fresh(t);
        await store.papers.writeBatch([
          paperRecord('2502.00001', { publishedAt: '2025-02-01T00:00:00.000Z' }),
          listedOn('2025-01-06', '2501.00001', { publishedAt: '2024-01-01T00:00:00.000Z' }),
          paperRecord('2412.00001', { publishedAt: '2024-12-01T00:00:00.000Z' }),
          paperRecord('2503.00001', { publishedAt: null }),
          listedOn('2025-01-08', '2501.00002', { publishedAt: '2024-01-02T00:00:00.000Z' }),
          listedOn('2025-01-06', '2501.00003', { publishedAt: '2024-01-03T00:00:00.000Z' }),
          paperRecord('2502.00002', { publishedAt: '2025-02-01T00:00:00.000Z' }),
          paperRecord('2502.00003', { publishedAt: '2025-02-01T00:00:00.000Z' }),
        ]);
        await store.papers.setPaperHidden('2502.00003', true);
        const expected = [
          '2501.00002',
          '2501.00001',
          '2501.00003',
          '2502.00002',
          '2502.00001',
          '2412.00001',
          '2503.00001',
        ];
        const all = async (limit: number, offset: number) =>
          (await store.papers.listPapers({}, { sort: 'newest', limit, offset })).map((paper) => paper.id);
        assert.deepEqual(await all(50, 0), expected);
        const paged: string[] = [];
        for (let offset = 0; offset < 8; offset += 2) paged.push(...(await all(2, offset)));
        assert.deepEqual(paged, expected, 'pages meet at the listed/unlisted boundary');
        assert.equal(await store.papers.countPapers({}), 7);
        assert.equal((await store.papers.listPapers({}, { sort: 'newest', includeHidden: true })).length, 8);
        assert.equal(
          (await store.papers.listPapers({}, { sort: 'upvotes', limit: 50 })).length,
          7,
          'sorted by upvotes too',
        );
      });

      test('paper locations for sitemaps: keyset pages in position order, hidden left out, page ends', async (t) => {
        const store = await fresh(t);
        assert.deepEqual(await store.papers.listPaperLocations(0, 10), []);
        assert.deepEqual(await store.papers.paperPageEnds(2), []);
        await store.papers.writeBatch([
          paperRecord('2501.00091', { updatedAt: '2025-01-03T00:00:00.000Z' }),
          paperRecord('hep-th/9901001', { publishedAt: '1999-01-01T00:00:00.000Z', updatedAt: null }),
          paperRecord('2501.00092', { publishedAt: null, updatedAt: null }),
          paperRecord('2501.00093'),
          paperRecord('2501.00094'),
        ]);
        await store.papers.setPaperHidden('2501.00093', true);
        const all = await store.papers.listPaperLocations(0, 10);
        const byId = new Map(all.map((location) => [location.id, location]));
        assert.deepEqual([...byId.keys()].sort(), [
          '2501.00091',
          '2501.00092',
          '2501.00094',
          'hep-th/9901001',
        ]);
        assert.equal(byId.get('2501.00091')?.updatedAt, '2025-01-03T00:00:00.000Z');
        assert.equal(
          byId.get('hep-th/9901001')?.updatedAt,
          '1999-01-01T00:00:00.000Z',
          'else the arXiv date',
        );
        assert.equal(byId.get('2501.00092')?.updatedAt, null);
        const positions = all.map((location) => location.position);
        assert.deepEqual(
          positions,
          [...positions].sort((a, b) => a - b),
          'in position order',
        );
        const ends = await store.papers.paperPageEnds(2);
        assert.deepEqual(ends, [positions[1], positions[3]]);
        const paged = [
          ...(await store.papers.listPaperLocations(0, 2)),
          ...(await store.papers.listPaperLocations(ends[0] ?? 0, 2)),
          ...(await store.papers.listPaperLocations(ends[1] ?? 0, 2)),
        ];
        assert.deepEqual(paged, all, 'keyset pages meet');
        assert.deepEqual(await store.papers.paperPageEnds(3), [positions[2]]);
      });

      test('filters: author, organization, submitter; upvote ties put listed papers first', async (t) => {
        const store = await fresh(t);
        const org = { name: 'acme', fullName: 'Acme', avatarUrl: null };
        await store.papers.writeBatch([
          listedOn('2025-01-06', '2501.00070', { organization: org, importedUpvotes: 3 }),
          paperRecord('2501.00071', {
            authors: [author('Grace Hopper')],
            organization: org,
            importedUpvotes: 3,
            publishedAt: '2025-01-20T00:00:00.000Z',
          }),
          paperRecord('2501.00072', {
            authors: [author('Grace Hopper'), author('Ada Lovelace')],
            importedUpvotes: 8,
          }),
        ]);
        assert.equal(await store.papers.countPapers({ author: 'Ada Lovelace' }), 2);
        assert.equal(await store.papers.countPapers({ author: 'Grace Hopper' }), 2);
        assert.equal(await store.papers.countPapers({ author: 'Grace' }), 0, 'exact author names');
        assert.deepEqual(
          (await store.papers.listPapers({ organization: 'acme' })).map((paper) => paper.id),
          ['2501.00070', '2501.00071'],
          'equal upvotes: the listed paper first',
        );
        assert.deepEqual(
          (await store.papers.listPapers({ organization: 'acme' }, { sort: 'newest' })).map(
            (paper) => paper.id,
          ),
          ['2501.00070', '2501.00071'],
        );
        assert.deepEqual(
          (await store.papers.listPapers({ author: 'Ada Lovelace' })).map((paper) => paper.id),
          ['2501.00072', '2501.00070'],
        );
        assert.equal(await store.papers.countPapers({ organization: 'nobody' }), 0);
        const ada = await member(store, 'ada');
        assert.equal(
          await store.engagement.listSubmission('2501.00071', '2025-01-07', ada, '2025-01-07T12:00:00.000Z'),
          true,
        );
        assert.equal(
          await store.engagement.listSubmission('2501.00071', '2025-01-08', ada, '2025-01-08T12:00:00.000Z'),
          false,
          'a paper is on one day only',
        );
        assert.deepEqual(
          (await store.papers.listPapers({ submitter: 'ada' })).map((paper) => paper.id),
          ['2501.00071'],
        );
        assert.equal(await store.papers.countPapers({ submitter: 'ada' }), 1);
        assert.equal(
          await store.papers.countPapers({
            submitter: 'ada',
            days: { fromDay: '2025-01-08', toDay: '2025-01-09' },
          }),
          0,
        );
        assert.equal(
          await store.papers.countPapers({
            organization: 'acme',
            days: { fromDay: '2025-01-07', toDay: '2025-01-07' },
          }),
          1,
        );
        await store.papers.setPaperHidden('2501.00071', true);
        assert.equal(await store.papers.countPapers({ organization: 'acme' }), 1);
        assert.equal(await store.papers.countPapers({ submitter: 'ada' }), 0);
        assert.equal((await store.papers.getPaper('2501.00071'))?.hidden, true, 'still readable by id');
        await store.papers.setPaperHidden('2501.00071', false);
        assert.equal(await store.papers.countPapers({ organization: 'acme' }), 2);
        await assert.rejects(store.papers.setPaperHidden('2501.99999', true), NotFoundError);
      });

      test('submissions: a member lists a paper on a day, counted for the daily limit', async (t) => {
        const store = await fresh(t);
        await store.papers.writeBatch([
          listedOn('2025-01-07', '2501.00080'),
          paperRecord('2501.00081'),
          paperRecord('2501.00082'),
        ]);
        const ada = await member(store, 'ada');
        const bob = await member(store, 'bob');
        assert.equal(await store.engagement.countSubmissionsSince(ada.id, '2025-01-01T00:00:00.000Z'), 0);
        assert.equal(
          await store.engagement.listSubmission('2501.00081', '2025-01-07', ada, '2025-01-07T15:00:00.000Z'),
          true,
        );
        assert.equal(
          await store.engagement.listSubmission('2501.00082', '2025-01-08', ada, '2025-01-08T09:00:00.000Z'),
          true,
        );
        assert.equal(
          await store.engagement.listSubmission('2501.00080', '2025-01-08', bob, '2025-01-08T10:00:00.000Z'),
          false,
          'already listed by an import',
        );
        assert.deepEqual((await store.papers.getPaper('2501.00081'))?.daily, {
          day: '2025-01-07',
          submittedBy: { user: 'ada', fullname: null, avatarUrl: null },
          submittedAt: '2025-01-07T15:00:00.000Z',
        });
        assert.equal(await store.engagement.countSubmissionsSince(ada.id, '2025-01-07T00:00:00.000Z'), 2);
        assert.equal(await store.engagement.countSubmissionsSince(ada.id, '2025-01-08T00:00:00.000Z'), 1);
        assert.equal(await store.engagement.countSubmissionsSince(bob.id, '2025-01-01T00:00:00.000Z'), 0);
        assert.deepEqual(
          (
            await store.papers.listPapers(
              { days: { fromDay: '2025-01-07', toDay: '2025-01-07' } },
              { sort: 'newest' },
            )
          ).map((paper) => paper.id),
          ['2501.00080', '2501.00081'],
          'a submission goes to the end of its day',
        );
        assert.equal(await store.papers.latestDay(), '2025-01-08');
      });
    });

    describe('search', () => {
      test('a deleted paper leaves no trace: keyword index, filters, votes, comments, vector, listing', async (t) => {
        const store = await fresh(t);
        await store.papers.writeBatch([
          listedOn('2025-01-06', '2501.00701', { title: 'Heuristic planning for robots' }),
          listedOn('2025-01-06', '2501.00702', { title: 'Heuristic search in games' }),
        ]);
        const voter = await member(store, 'deleter');
        await store.engagement.setUpvote(voter.id, '2501.00701', true);
        await store.engagement.addComment({
          paperId: '2501.00701',
          memberId: voter.id,
          parentId: null,
          body: 'Nice.',
        });
        await store.vectors.setEmbeddingModel('m', Buffer.from([1]));
        await store.vectors.saveVectors('m', [
          { id: '2501.00701', vector: Float32Array.from([1, 0, 0, 0]) },
          { id: '2501.00702', vector: Float32Array.from([0, 1, 0, 0]) },
        ]);
        const keyword = async () =>
          (await store.papers.keywordSearch(parseSearchQuery('heuristic'), 10)).map((hit) => hit.id).sort();
        assert.deepEqual(await keyword(), ['2501.00701', '2501.00702']);

        await store.papers.deletePaper('2501.00701');
        assert.deepEqual(await keyword(), ['2501.00702'], 'gone from the keyword index');
        assert.deepEqual(
          [
            ...(await store.papers.filterSearchHits(
              ['2501.00701', '2501.00702'],
              parseSearchQuery('heuristic'),
            )),
          ],
          ['2501.00702'],
          'a semantic hit for it is dropped',
        );
        assert.equal(await store.papers.getPaper('2501.00701'), null);
        assert.equal(await store.papers.countPapers(), 1);
        assert.deepEqual(await store.engagement.listComments('2501.00701', { includeHidden: true }), []);
        assert.deepEqual([...(await store.engagement.upvotedBy(voter.id, ['2501.00701']))], []);
        assert.deepEqual(
          (await store.vectors.readVectors('m', 0, 10)).map((stored) => stored.id),
          ['2501.00702'],
        );
        assert.deepEqual(
          (await store.papers.listPapers({ days: { fromDay: '2025-01-06', toDay: '2025-01-06' } })).map(
            (p) => p.id,
          ),
          ['2501.00702'],
        );
        await assert.rejects(store.papers.deletePaper('2501.00701'), NotFoundError);

        await store.papers.writeBatch([
          paperRecord('2501.00701', { title: 'Heuristic planning for robots' }),
        ]);
        assert.deepEqual(await keyword(), ['2501.00701', '2501.00702'], 'imported again, found again');
      });

      test('compacting the keyword index after many small writes keeps every result and score', async (t) => {
        const store = await fresh(t);
        for (let batch = 0; batch < 40; batch++) {
          await store.papers.writeBatch(
            Array.from({ length: 5 }, (_, i) =>
              paperRecord(`2502.${String(batch * 5 + i).padStart(5, '0')}`, {
                title: `Heuristic search ${batch} ${i % 2 === 0 ? 'planning' : 'learning'}`,
                abstract: `Reinforcement learning with heuristics, variant ${batch * 5 + i}.`,
              }),
            ),
          );
        }
        const queries = ['heuristic planning', 'reinforcement learning variant 17', 'search 3'].map((text) =>
          parseSearchQuery(text),
        );
        const before = await Promise.all(queries.map((query) => store.papers.keywordSearch(query, 50)));
        const progress: Array<[number, number]> = [];
        await store.papers.compactKeywordIndex((done, total) => progress.push([done, total]));
        const last = progress.at(-1);
        assert.ok(last && last[0] === last[1], 'progress ends at the total');
        assert.deepEqual(
          await Promise.all(queries.map((query) => store.papers.keywordSearch(query, 50))),
          before,
        );
        await store.papers.writeBatch([paperRecord('2502.99999', { title: 'Heuristic planning anew' })]);
        assert.equal((await store.papers.keywordSearch(parseSearchQuery('anew'), 5))[0]?.id, '2502.99999');
        await store.papers.compactKeywordIndex();
      });

      test('keyword search: stemmed words, title weighted, syntax characters inert, index follows updates', async (t) => {
        const store = await fresh(t);
        await store.papers.writeBatch([
          paperRecord('2501.00080', {
            title: 'Reinforcement learning heuristics',
            abstract: 'We study planning.',
          }),
          paperRecord('2501.00081', {
            title: 'Planning',
            abstract: 'Heuristic search for reinforcement learners.',
          }),
        ]);
        const ids = async (list: string[]) =>
          (await store.papers.keywordSearch(words(list), 10)).map((hit) => hit.id);
        assert.deepEqual(await ids(['heuristic', 'reinforcement']), ['2501.00080', '2501.00081']);
        assert.deepEqual(await ids(['heuristic']), ['2501.00080', '2501.00081'], 'title first; stems match');
        assert.deepEqual(await ids(['plans']), ['2501.00081', '2501.00080']);
        const hits = await store.papers.keywordSearch(words(['heuristic']), 10);
        assert.ok((hits[0]?.score ?? 0) > (hits[1]?.score ?? 0), 'a larger score is a better match');
        for (const nasty of [
          '"',
          "'",
          'title:x',
          'a OR b',
          'NEAR(a b)',
          '*',
          '(',
          ')',
          '&',
          '|',
          '!',
          '!!',
          '<->',
          '<2>',
          ':*',
          'x:*',
          'x & !y',
          '\\',
          '%',
          '_',
          "'; DROP TABLE papers; --",
          '',
          '   ',
        ]) {
          assert.deepEqual(await ids([nasty]), [], JSON.stringify(nasty));
          assert.deepEqual(
            (await ids(['heuristic', nasty])).sort(),
            ['2501.00080', '2501.00081'],
            `${JSON.stringify(nasty)} next to a real word`,
          );
          assert.deepEqual(
            [
              ...(await store.papers.filterSearchHits(['2501.00080'], {
                ...words([]),
                phrases: [[nasty, 'x']],
              })),
            ],
            [],
            `${JSON.stringify(nasty)} in a phrase`,
          );
        }
        for (const text of ['"heuristic', 'heuristic -(', 'heuristic & | ! <-> :*', "heuristic's"]) {
          const parsed = parseSearchQuery(text);
          assert.ok((await store.papers.keywordSearch(parsed, 10)).length > 0, text);
        }
        assert.equal(await store.papers.countPapers(), 2);

        await store.papers.writeBatch([
          paperRecord('2501.00081', { version: 2, title: 'Graph transformers', abstract: 'None.' }),
        ]);
        assert.deepEqual(await ids(['heuristic']), ['2501.00080']);
        assert.deepEqual(await ids(['transformer']), ['2501.00081']);
        await store.papers.setPaperHidden('2501.00081', true);
        assert.deepEqual(await ids(['transformer']), [], 'hidden papers are not found');
        await store.papers.setPaperHidden('2501.00081', false);
        assert.deepEqual(await ids(['transformer']), ['2501.00081']);
        assert.deepEqual(await ids(['nothing']), []);
        assert.deepEqual(
          await store.papers.keywordSearch(words(['heuristic', 'reinforcement']), 1).then((h) => h.length),
          1,
        );
      });

      describe('the query language on a small corpus', () => {
        let database: StoreDatabase | undefined;
        let store: Store;
        before(async () => {
          database = await freshDatabase(kind);
          store = recorded(await database.open(), calls);
          await store.papers.writeBatch([
            ...searchCorpus(),
            paperRecord('2509.00005', {
              title: 'Hidden Heuristics',
              abstract: 'A hidden paper about heuristics.',
              categories: ['cs.LG'],
              publishedAt: '2025-09-01T00:00:00Z',
            }),
          ]);
          await store.papers.setPaperHidden('2509.00005', true);
        });
        after(() => database?.release());
        const ids = async (query: string, limit = 10) =>
          (await store.papers.keywordSearch(parseSearchQuery(query), limit)).map((hit) => hit.id);

        test('a title word ranks above an abstract word; stems match; more words rank higher', async () => {
          assert.deepEqual((await ids('heuristics')).slice(0, 2).sort(), ['2503.00001', '2508.00004']);
          assert.equal((await ids('heuristics'))[2], '2506.00002');
          assert.equal((await ids('heuristics')).length, 3, 'the hidden paper is not found');
          assert.deepEqual(await ids('rewarding'), ['2503.00001']);
          assert.deepEqual((await ids('heuristic reinforcement learning')).slice(0, 2), [
            '2503.00001',
            '2506.00002',
          ]);
          assert.ok(
            (await ids('heuristic reinforcement learning')).includes('2508.00004'),
            'any word can match',
          );
          assert.equal((await ids('heuristics', 1)).length, 1, 'limited');
        });

        test('phrases, exclusions and every filter', async () => {
          assert.deepEqual(await ids('"policy optimization"'), ['2506.00002']);
          assert.deepEqual(await ids('"optimization policy"'), []);
          assert.deepEqual((await ids('heuristic -survey')).sort(), ['2503.00001', '2508.00004']);
          assert.deepEqual(await ids('heuristic author:"yann lecun"'), ['2503.00001']);
          assert.deepEqual(
            (await ids('author:"Yann LeCun"')).sort(),
            ['2503.00001', '2507.00003'],
            'filters alone list papers',
          );
          assert.deepEqual(await ids('heuristic org:meta'), ['2503.00001']);
          assert.deepEqual(await ids('heuristic org:"Meta AI"'), ['2503.00001']);
          assert.deepEqual(await ids('heuristic org:META'), ['2503.00001'], 'organizations ignore case');
          assert.deepEqual(await ids('learning cat:cs.CV'), ['2507.00003']);
          assert.deepEqual((await ids('cat:cs')).sort(), ['2503.00001', '2506.00002', '2507.00003']);
          assert.deepEqual(await ids('cat:stat.ml'), ['2506.00002']);
          assert.deepEqual(await ids('cat:c%'), [], 'LIKE wildcards are inert');
          assert.deepEqual(await ids('cat:c_'), []);
          assert.deepEqual(await ids('heuristic after:2025-06-01 before:2025-06-30'), ['2506.00002']);
          assert.deepEqual(
            await ids('heuristic before:2025-03-03'),
            ['2503.00001'],
            'by listing day, inclusive',
          );
          assert.deepEqual(
            await ids('after:2025-07'),
            ['2508.00004', '2507.00003'],
            'newest first without text',
          );
          assert.deepEqual(await ids('after:2025-07', 1), ['2508.00004']);
        });

        test('semantic hits are filtered by the same filters, phrases and authors', async () => {
          const all = ['2503.00001', '2506.00002', '2507.00003', '2508.00004', '2509.00005', 'nope'];
          const allowed = async (query: string) =>
            [...(await store.papers.filterSearchHits(all, parseSearchQuery(query)))].sort();
          assert.deepEqual(await allowed('anything cat:cs -survey'), ['2503.00001', '2507.00003']);
          assert.deepEqual(await allowed('anything'), [
            '2503.00001',
            '2506.00002',
            '2507.00003',
            '2508.00004',
          ]);
          assert.deepEqual(await allowed('"policy optimization"'), ['2506.00002']);
          assert.deepEqual(await allowed('x author:"Ada Lovelace"'), ['2503.00001', '2508.00004']);
          assert.deepEqual(await allowed('x author:"yann lecun"'), ['2503.00001', '2507.00003']);
          assert.deepEqual(await allowed('x org:"meta ai"'), ['2503.00001']);
          assert.deepEqual(await allowed('x after:2025-07-01'), ['2507.00003', '2508.00004']);
          assert.deepEqual(await allowed('x -heuristics'), ['2507.00003']);
          assert.deepEqual([...(await store.papers.filterSearchHits([], parseSearchQuery('x')))], []);
        });

        test('matches by words, exactly: counted up to a bound, ordered over all of them, checked by id', async () => {
          const matches = store.searchMatches;
          const q = parseSearchQuery;
          assert.deepEqual(await matches.count(q('heuristics'), 'any', 100), { count: 3, exact: true });
          assert.deepEqual(await matches.count(q('heuristics'), 'any', 2), { count: 2, exact: false });
          assert.deepEqual(await matches.count(q('heuristics'), 'any', 3), { count: 3, exact: true });
          assert.deepEqual(await matches.count(q('heuristic reinforcement'), 'all', 100), {
            count: 2,
            exact: true,
          });
          assert.deepEqual(await matches.count(q('heuristic reinforcement'), 'any', 100), {
            count: 4,
            exact: true,
          });
          assert.equal((await matches.count(q('heuristic zebrafish'), 'all', 100)).count, 0);
          assert.equal((await matches.count(q('zebrafish'), 'any', 100)).count, 0);
          assert.equal((await matches.count(q('"policy optimization"'), 'any', 100)).count, 1);
          assert.equal((await matches.count(q('heuristic -survey'), 'any', 100)).count, 2);
          assert.equal((await matches.count(q('cat:cs'), 'any', 100)).count, 3, 'filters alone');
          const sorted = async (query: string, order: 'newest' | 'upvotes', limit = 10) =>
            (await matches.sorted(q(query), 'any', order, limit)).map((match) => match.id);
          assert.deepEqual(await sorted('heuristics', 'upvotes'), ['2503.00001', '2508.00004', '2506.00002']);
          assert.deepEqual(await sorted('heuristics', 'newest'), ['2508.00004', '2506.00002', '2503.00001']);
          assert.deepEqual(await sorted('heuristics', 'newest', 1), ['2508.00004']);
          assert.deepEqual(await sorted('cat:cs', 'newest'), ['2507.00003', '2506.00002', '2503.00001']);
          assert.deepEqual((await matches.sorted(q('heuristics'), 'any', 'upvotes', 1))[0], {
            id: '2503.00001',
            upvotes: 10,
            day: '2025-03-03',
          });
          const all = ['2503.00001', '2506.00002', '2507.00003', '2508.00004', '2509.00005', 'nope'];
          assert.deepEqual([...(await matches.matching(all, q('heuristic reinforcement'), 'all'))].sort(), [
            '2503.00001',
            '2506.00002',
          ]);
          assert.deepEqual([...(await matches.matching(all, q('heuristics'), 'any'))].sort(), [
            '2503.00001',
            '2506.00002',
            '2508.00004',
          ]);
          assert.deepEqual([...(await matches.matching([], q('heuristics'), 'any'))], []);
        });

        test('search signals: upvotes, the listing (else arXiv) day, hidden', async () => {
          const signals = await store.papers.searchSignals([
            '2503.00001',
            '2507.00003',
            '2509.00005',
            'nope',
          ]);
          assert.deepEqual(
            [...signals.entries()].sort(([a], [b]) => a.localeCompare(b)),
            [
              ['2503.00001', { upvotes: 10, day: '2025-03-03', hidden: false }],
              ['2507.00003', { upvotes: 0, day: '2025-07-20', hidden: false }],
              ['2509.00005', { upvotes: 0, day: '2025-09-01', hidden: true }],
            ],
          );
          assert.equal((await store.papers.searchSignals([])).size, 0);
          await store.papers.writeBatch([paperRecord('2510.00006', { publishedAt: null })]);
          assert.deepEqual((await store.papers.searchSignals(['2510.00006'])).get('2510.00006'), {
            upvotes: 0,
            day: null,
            hidden: false,
          });
        });
      });

      test('the index follows title, author and abstract changes made in one batch or an import', async (t) => {
        const store = await fresh(t);
        const kept = { abstract: 'Heuristic search on quantum hardware.', categories: ['quant-ph'] };
        await store.papers.writeBatch([
          paperRecord('2508.00004', { ...kept, title: 'Quantum Heuristics' }),
          paperRecord('2503.00001', { authors: [author('Ada Lovelace')], title: 'Other' }),
        ]);
        const ids = async (query: string) =>
          (await store.papers.keywordSearch(parseSearchQuery(query), 10)).map((hit) => hit.id);
        await store.papers.writeBatch([
          paperRecord('2508.00004', { ...kept, title: 'Quantum Annealing', version: 2 }),
        ]);
        assert.deepEqual(await ids('annealing'), ['2508.00004']);
        assert.deepEqual(await ids('"quantum heuristics"'), [], 'the old title left the index');
        await store.papers.writeBatch([
          paperRecord('2508.00004', {
            ...kept,
            title: 'Quantum Annealing',
            version: 3,
            authors: [author('Emmy Noether')],
          }),
        ]);
        assert.deepEqual(await ids('author:noether'), ['2508.00004']);
        assert.deepEqual(await ids('author:"Ada Lovelace"'), ['2503.00001']);
        const tx = await store.papers.beginImport();
        await tx.writeBatch([
          paperRecord('2508.00004', {
            ...kept,
            abstract: 'Superconducting qubits.',
            title: 'Quantum Annealing',
            version: 4,
          }),
          paperRecord('2511.00009', { title: 'Superconducting magnets' }),
        ]);
        await tx.commit();
        assert.deepEqual((await ids('superconducting')).sort(), ['2508.00004', '2511.00009']);
        assert.deepEqual(await ids('hardware'), []);
      });
    });

    describe('embeddings', () => {
      test('model, texts to embed, vectors read by watermark; stale on text change; a new model starts over', async (t) => {
        const store = await fresh(t);
        assert.equal(await store.vectors.getEmbeddingModel(), null);
        assert.equal(await store.vectors.embeddingModelName(), null);
        const ids = ['2501.00001', '2501.00002', '2501.00003', '2501.00004', '2501.00005'];
        await store.papers.writeBatch(
          ids.map((id) => paperRecord(id, { title: `Title ${id}`, abstract: `About ${id}.` })),
        );
        const texts: string[] = [];
        for (let after = 0; ; ) {
          const page = await store.vectors.listPaperTexts(after, 2);
          if (page.length === 0) break;
          texts.push(...page.map((paper) => paper.id));
          after = page[page.length - 1]?.position ?? after;
        }
        assert.deepEqual([...texts].sort(), ids, 'every paper once');
        assert.deepEqual(
          (await store.vectors.listPaperTexts(0, 100)).map((paper) => paper.id),
          texts,
          'in a stable order',
        );
        const [firstText, secondText] = await store.vectors.listPaperTexts(0, 2);
        assert.ok(
          firstText && secondText && firstText.position > 0 && secondText.position > firstText.position,
        );
        assert.deepEqual(
          (await store.vectors.listPaperTexts(firstText.position, 1)).map((paper) => paper.id),
          [secondText.id],
          'a page starts after the position given',
        );
        assert.deepEqual((await store.vectors.listPaperTexts(0, 1))[0], {
          id: texts[0],
          position: firstText.position,
          title: `Title ${texts[0]}`,
          abstract: `About ${texts[0]}.`,
        });

        const data = Buffer.from([0, 1, 2, 255, 254, 0, 10]);
        await store.vectors.setEmbeddingModel('lsa-1', data);
        const model = await store.vectors.getEmbeddingModel();
        assert.equal(model?.model, 'lsa-1');
        assert.equal(await store.vectors.embeddingModelName(), 'lsa-1');
        assert.ok(model && Buffer.isBuffer(model.data), 'the model comes back as a Buffer');
        assert.deepEqual([...(model?.data ?? [])], [...data]);

        assert.equal(await store.vectors.countPapersToEmbed('lsa-1'), 5);
        assert.deepEqual(
          (await store.vectors.papersToEmbed('lsa-1', 0, 3)).map((paper) => paper.id),
          ids.slice(0, 3),
          'oldest first',
        );
        const [oldest] = await store.vectors.papersToEmbed('lsa-1', 0, 1);
        assert.deepEqual(
          (await store.vectors.papersToEmbed('lsa-1', oldest?.position ?? 0, 10)).map((paper) => paper.id),
          ids.slice(1),
          'after a position',
        );
        assert.deepEqual(oldest, {
          id: '2501.00001',
          position: oldest?.position,
          title: 'Title 2501.00001',
          abstract: 'About 2501.00001.',
        });
        const vector = (seed: number) =>
          Float32Array.from({ length: 64 }, (_, i) =>
            i === 0 ? 1e-30 : i === 1 ? -0.5 : Math.sin(seed * 7 + i),
          );
        await store.vectors.saveVectors(
          'lsa-1',
          ids.slice(0, 3).map((id, i) => ({ id, vector: vector(i) })),
        );
        assert.equal(await store.vectors.countPapersToEmbed('lsa-1'), 2);
        assert.deepEqual(
          (await store.vectors.papersToEmbed('lsa-1', 0, 10)).map((paper) => paper.id),
          ids.slice(3),
        );
        const first = await store.vectors.readVectors('lsa-1', 0, 100);
        assert.deepEqual(
          first.map((stored) => stored.id),
          ids.slice(0, 3),
          'in write order',
        );
        first.forEach((stored, i) => {
          assert.ok(stored.vector instanceof Float32Array);
          assert.deepEqual([...stored.vector], [...vector(i)], 'vectors round-trip bit for bit');
        });
        const seqs = first.map((stored) => stored.seq);
        assert.deepEqual(
          [...seqs].sort((a, b) => a - b),
          seqs,
          'seq grows with every write',
        );
        assert.equal(new Set(seqs).size, 3);
        assert.deepEqual(
          (await store.vectors.readVectors('lsa-1', 0, 2)).map((stored) => stored.id),
          ids.slice(0, 2),
          'limited',
        );
        const watermark = seqs[2] ?? 0;
        assert.deepEqual(await store.vectors.readVectors('lsa-1', watermark, 100), [], 'nothing new yet');
        assert.deepEqual(await store.vectors.readVectors('other-model', 0, 100), []);

        await store.vectors.saveVectors('lsa-1', [
          { id: ids[3] as string, vector: vector(3) },
          { id: ids[0] as string, vector: vector(10) },
        ]);
        const later = await store.vectors.readVectors('lsa-1', watermark, 100);
        assert.deepEqual(
          later.map((stored) => stored.id),
          [ids[3], ids[0]],
          'a reader keeps up from its last seq; a re-embedded paper comes again',
        );
        assert.ok(later.every((stored) => stored.seq > watermark));
        assert.deepEqual([...(later[1]?.vector ?? [])], [...vector(10)]);
        assert.deepEqual(
          (await store.vectors.readVectors('lsa-1', 0, 100)).map((stored) => stored.id).sort(),
          ids.slice(0, 4),
          'one vector per paper',
        );

        // A changed text makes a vector stale; other changes do not.
        await store.papers.writeBatch([
          paperRecord(ids[1] as string, {
            title: `Title ${ids[1]}`,
            abstract: `About ${ids[1]}.`,
            githubStars: 50,
            importedUpvotes: 4,
          }),
          paperRecord(ids[2] as string, { version: 2, title: 'A new title', abstract: `About ${ids[2]}.` }),
        ]);
        assert.deepEqual(
          (await store.vectors.papersToEmbed('lsa-1', 0, 10)).map((paper) => paper.id).sort(),
          [ids[2], ids[4]],
        );
        assert.equal(await store.vectors.countPapersToEmbed('lsa-1'), 2);
        assert.ok(
          !(await store.vectors.readVectors('lsa-1', 0, 100)).some((stored) => stored.id === ids[2]),
          'the stale vector is gone',
        );
        await store.papers.writeBatch([
          paperRecord(ids[3] as string, {
            version: 2,
            title: `Title ${ids[3]}`,
            abstract: 'A new abstract.',
          }),
        ]);
        assert.equal(await store.vectors.countPapersToEmbed('lsa-1'), 3);

        await store.vectors.saveVectorPartitions('lsa-1', Buffer.from('partitions'));
        await store.vectors.setEmbeddingModel('lsa-1', Buffer.from([9]));
        assert.equal(
          (await store.vectors.readVectors('lsa-1', 0, 100)).length,
          2,
          'installing the same model again keeps its vectors',
        );
        assert.deepEqual([...((await store.vectors.getEmbeddingModel())?.data ?? [])], [9]);

        await store.vectors.setEmbeddingModel('lsa-2', Buffer.from([7, 7]));
        assert.equal((await store.vectors.getEmbeddingModel())?.model, 'lsa-2');
        assert.equal(await store.vectors.embeddingModelName(), 'lsa-2');
        assert.deepEqual(
          await store.vectors.readVectors('lsa-1', 0, 100),
          [],
          'the old model’s vectors are dropped',
        );
        assert.equal(await store.vectors.getVectorPartitions('lsa-1'), null, 'and its partitions');
        assert.equal(await store.vectors.countPapersToEmbed('lsa-2'), 5);
        await store.vectors.saveVectors('lsa-2', [{ id: ids[4] as string, vector: vector(4) }]);
        const newer = await store.vectors.readVectors('lsa-2', 0, 100);
        assert.deepEqual(
          newer.map((stored) => stored.id),
          [ids[4]],
        );
      });

      test('a seq is never handed out twice, even after the newest vector went stale', async (t) => {
        const store = await fresh(t);
        const vector = (seed: number) => Float32Array.from({ length: 8 }, (_, i) => Math.sin(seed + i));
        await store.papers.writeBatch([paperRecord('2501.00001'), paperRecord('2501.00002')]);
        await store.vectors.setEmbeddingModel('m', Buffer.from('model'));
        await store.vectors.saveVectors('m', [{ id: '2501.00001', vector: vector(1) }]);
        await store.vectors.saveVectors('m', [{ id: '2501.00002', vector: vector(2) }]);
        const watermark = Math.max(
          ...(await store.vectors.readVectors('m', 0, 10)).map((stored) => stored.seq),
        );
        await store.papers.writeBatch([
          paperRecord('2501.00002', { version: 2, title: 'Rewritten', abstract: 'New.' }),
        ]);
        await store.vectors.saveVectors('m', [{ id: '2501.00002', vector: vector(3) }]);
        assert.deepEqual(
          (await store.vectors.readVectors('m', watermark, 10)).map((stored) => stored.id),
          ['2501.00002'],
          'a reader past the old seq still gets the re-embedded paper',
        );
      });

      test('vector partitions: saved per model, replaced, dropped with their model', async (t) => {
        const store = await fresh(t);
        assert.equal(await store.vectors.getVectorPartitions('m1'), null);
        await store.vectors.setEmbeddingModel('m1', Buffer.from('model'));
        const big = Buffer.alloc(300_000, 0);
        for (let i = 0; i < big.length; i++) big[i] = (i * 31) % 256;
        await store.vectors.saveVectorPartitions('m1', big);
        const stored = await store.vectors.getVectorPartitions('m1');
        assert.ok(stored && Buffer.isBuffer(stored));
        assert.ok(stored.equals(big), 'bytes round-trip');
        await store.vectors.saveVectorPartitions('m1', Buffer.from([1, 2, 3]));
        assert.deepEqual([...((await store.vectors.getVectorPartitions('m1')) ?? [])], [1, 2, 3], 'replaced');
        assert.equal(await store.vectors.getVectorPartitions('m2'), null);
        await store.vectors.setEmbeddingModel('m2', Buffer.from('model 2'));
        assert.equal(await store.vectors.getVectorPartitions('m1'), null);
        await store.vectors.saveVectorPartitions('m2', Buffer.from([4]));
        assert.deepEqual([...((await store.vectors.getVectorPartitions('m2')) ?? [])], [4]);
      });

      test('nearest vectors by cosine, best first: exclusion, stale vectors, a new model of another dimension', async (t) => {
        const store = await fresh(t);
        assert.equal(store.vectors.vectorSearch, kind === 'postgres+pgvector' ? 'pgvector' : 'in-process');
        const ids = range(30).map((i) => `2501.${String(i + 1).padStart(5, '0')}`);
        await store.papers.writeBatch(ids.map((id) => paperRecord(id)));
        // Paper i points at i × 6 degrees on a circle, so its neighbours are known.
        const at = (degrees: number, dimensions = 3) => {
          const vector = new Float32Array(dimensions);
          vector[0] = Math.cos((degrees * Math.PI) / 180);
          vector[1] = Math.sin((degrees * Math.PI) / 180);
          return vector;
        };
        const nearestIds = async (model: string, vector: Float32Array, limit: number, exclude?: string) =>
          (await store.vectors.nearestVectors(model, vector, limit, exclude)).map((hit) => hit.id);
        await store.vectors.setEmbeddingModel('m3', Buffer.from('model'));
        await store.vectors.saveVectors(
          'm3',
          ids.map((id, i) => ({ id, vector: at(i * 6) })),
        );
        const nearest = await store.vectors.nearestVectors('m3', at(61), 3);
        assert.deepEqual(
          nearest.map((hit) => hit.id),
          [ids[10], ids[11], ids[9]],
        );
        assert.ok(Math.abs((nearest[0]?.score ?? 0) - Math.cos(Math.PI / 180)) < 1e-5, 'the cosine');
        assert.deepEqual(await nearestIds('m3', at(61), 2, ids[10]), [ids[11], ids[9]], 'one excluded');
        assert.deepEqual(await nearestIds('m3', at(61), 0), []);
        assert.deepEqual(await nearestIds('other', at(61), 3), [], 'only the model asked for');
        assert.deepEqual([...((await store.vectors.getVector('m3', ids[2] as string)) ?? [])], [...at(12)]);
        assert.equal(await store.vectors.getVector('m3', 'nope'), null);
        assert.equal(await store.vectors.getVector('other', ids[2] as string), null);

        await store.papers.writeBatch([paperRecord(ids[10] as string, { version: 2, abstract: 'Changed.' })]);
        assert.deepEqual(await nearestIds('m3', at(61), 2), [ids[11], ids[9]], 'a stale vector is not found');

        await store.vectors.setEmbeddingModel('m5', Buffer.from('model 5'));
        assert.deepEqual(await nearestIds('m3', at(61), 3), [], 'the old model’s vectors are gone');
        await store.vectors.saveVectors(
          'm5',
          ids.map((id, i) => ({ id, vector: at(i * 6, 5) })),
        );
        assert.deepEqual(await nearestIds('m5', at(61, 5), 2), [ids[10], ids[11]], 'five dimensions now');
        assert.deepEqual(await nearestIds('m5', at(61), 2), [], 'a query of another dimension finds nothing');
      });

      test('vectors written without pgvector are searched once a process with it opens the database', {
        skip: kind !== 'postgres+pgvector' && 'only PostgreSQL with pgvector keeps vectors of its own',
      }, async (t) => {
        const database = await freshDb(t);
        const without = await openPostgresStore(database.url, { pgvector: false });
        try {
          assert.equal(without.vectors.vectorSearch, 'in-process');
          await without.papers.writeBatch([paperRecord('2501.00001'), paperRecord('2501.00002')]);
          await without.vectors.setEmbeddingModel('m', Buffer.from('model'));
          await without.vectors.saveVectors('m', [
            { id: '2501.00001', vector: Float32Array.from([1, 0, 0, 0]) },
            { id: '2501.00002', vector: Float32Array.from([0, 1, 0, 0]) },
          ]);
        } finally {
          await without.close();
        }
        const store = await database.open();
        assert.equal(store.vectors.vectorSearch, 'pgvector');
        const hits = await store.vectors.nearestVectors('m', Float32Array.from([0.1, 1, 0, 0]), 5);
        assert.deepEqual(
          hits.map((hit) => hit.id),
          ['2501.00002', '2501.00001'],
        );

        // A vector replaced by a process without pgvector is not found where it was any more.
        const again = await openPostgresStore(database.url, { pgvector: false });
        try {
          await again.vectors.saveVectors('m', [
            { id: '2501.00002', vector: Float32Array.from([0, 0, 1, 0]) },
          ]);
        } finally {
          await again.close();
        }
        assert.deepEqual(
          (await store.vectors.nearestVectors('m', Float32Array.from([0.1, 1, 0, 0]), 5)).map(
            (hit) => hit.id,
          ),
          ['2501.00001'],
        );
        await store.vectors.saveVectors('m', [{ id: '2501.00002', vector: Float32Array.from([0, 1, 0, 0]) }]);
        assert.deepEqual(
          (await store.vectors.nearestVectors('m', Float32Array.from([0.1, 1, 0, 0]), 5)).map(
            (hit) => hit.id,
          ),
          ['2501.00002', '2501.00001'],
          'saved again through pgvector: found again',
        );
      });
    });

    test('trending candidates: recent listings and votes, stars gained since a time', async (t) => {
      const store = await fresh(t);
      const started = new Date();
      const today = started.toISOString().slice(0, 10);
      const since = new Date(started.getTime() - 14 * 86_400_000).toISOString();
      await store.papers.writeBatch([
        listedOn(today, '2611.00001', { importedUpvotes: 4, githubStars: 10 }),
        listedOn('2020-01-01', '2001.00001', { importedUpvotes: 50 }),
        listedOn(today, '2611.00002', { importedUpvotes: 1 }),
        paperRecord('2611.00003', { githubStars: 3 }),
        paperRecord('2611.00004', {
          daily: {
            day: today,
            submittedBy: { user: 'ada', fullname: null, avatarUrl: null },
            submittedAt: `${today}T08:30:00.000Z`,
          },
        }),
        paperRecord('2611.00005'),
      ]);
      await store.papers.setPaperHidden('2611.00002', true);
      await sleep(50);
      const starsSince = new Date().toISOString();
      await sleep(50);
      await store.papers.writeBatch([
        listedOn(today, '2611.00001', { importedUpvotes: 4, githubStars: 25 }),
        paperRecord('2611.00004', { githubStars: 7 }),
      ]);
      const voter = await member(store, 'voter');
      await store.engagement.setUpvote(voter.id, '2001.00001', true);
      await store.engagement.setUpvote(voter.id, '2611.00003', true);
      const finished = new Date();
      const candidates = (await store.engagement.trendingCandidates(since, starsSince)).sort((a, b) =>
        a.paperId.localeCompare(b.paperId),
      );
      assert.deepEqual(
        candidates.map((candidate) => candidate.paperId),
        ['2001.00001', '2611.00001', '2611.00003', '2611.00004'],
        'recently listed or upvoted, not hidden',
      );
      const [old, fresh1, unlisted, submitted] = candidates;
      const within = (time: string) => {
        const at = Date.parse(time);
        return isIsoTime(time) && at >= started.getTime() - 1000 && at <= finished.getTime() + 1000;
      };
      assert.equal(old?.listedAt, '2020-01-01T12:00:00.000Z');
      assert.equal(old?.importedUpvotes, 50);
      assert.equal(old?.voteTimes.length, 1);
      assert.ok(within(old?.voteTimes[0] ?? ''), `vote time ${old?.voteTimes[0]}`);
      assert.equal(old?.starsGained, null);
      assert.deepEqual(fresh1, {
        paperId: '2611.00001',
        listedAt: `${today}T12:00:00.000Z`,
        importedUpvotes: 4,
        voteTimes: [],
        starsGained: 15,
      });
      assert.ok(
        within(unlisted?.listedAt ?? ''),
        `an unlisted paper counts from when it was stored: ${unlisted?.listedAt}`,
      );
      assert.equal(unlisted?.starsGained, 0);
      assert.equal(unlisted?.voteTimes.length, 1);
      assert.equal(submitted?.listedAt, `${today}T08:30:00.000Z`);
      assert.equal(submitted?.starsGained, null, 'no stars known before starsSince');
      assert.deepEqual(
        (
          await store.engagement.trendingCandidates(
            new Date(finished.getTime() + 2 * 86_400_000).toISOString(),
            starsSince,
          )
        ).map((candidate) => candidate.paperId),
        [],
      );
    });

    describe('members', () => {
      test('unique username and email (case-insensitive), login by either, password changes, sessions expire', async (t) => {
        const store = await fresh(t);
        assert.equal(await store.members.countMembers(), 0);
        const ada = await store.members.createMember({
          username: 'ada',
          email: 'ada@example.org',
          passwordHash: 'h1',
          role: 'admin',
        });
        assert.equal(ada.role, 'admin');
        assert.equal(ada.username, 'ada');
        assert.equal(ada.email, 'ada@example.org');
        assert.ok(isIsoTime(ada.createdAt), ada.createdAt);
        assert.deepEqual(await store.members.getMember(ada.id), ada);
        assert.equal(await store.members.getMember(ada.id + 1000), null);
        await assert.rejects(
          store.members.createMember({
            username: 'ADA',
            email: 'x@example.org',
            passwordHash: 'h',
            role: 'member',
          }),
          (error: Error) => error instanceof DuplicateError && error.field === 'username',
        );
        await assert.rejects(
          store.members.createMember({
            username: 'bob',
            email: 'Ada@Example.org',
            passwordHash: 'h',
            role: 'member',
          }),
          (error: Error) => error instanceof DuplicateError && error.field === 'email',
        );
        const bob = await store.members.createMember({
          username: 'Bob',
          email: 'Bob@Example.org',
          passwordHash: 'h2',
          role: 'member',
        });
        assert.equal(bob.role, 'member');
        assert.notEqual(bob.id, ada.id);
        assert.equal(await store.members.countMembers(), 2);
        assert.equal((await store.members.findMemberForLogin('ADA@example.org'))?.passwordHash, 'h1');
        assert.equal((await store.members.findMemberForLogin('Ada'))?.id, ada.id);
        const found = await store.members.findMemberForLogin('bob');
        assert.deepEqual(found, { ...bob, passwordHash: 'h2' });
        assert.equal(await store.members.findMemberForLogin('nobody'), null);
        assert.equal(await store.members.findMemberForLogin("' OR 1=1 --"), null);

        await store.members.setPasswordHash(ada.id, 'h3');
        assert.equal((await store.members.findMemberForLogin('ada'))?.passwordHash, 'h3');
        assert.equal((await store.members.findMemberForLogin('bob'))?.passwordHash, 'h2');

        await store.members.createSession('t1', ada.id, '2030-01-01T00:00:00.000Z');
        await store.members.createSession('t2', ada.id, '2030-01-01T00:00:00.000Z');
        await store.members.createSession('t3', bob.id, '2030-01-01T00:00:00.000Z');
        assert.deepEqual(await store.members.getSessionMember('t1', '2029-12-31T00:00:00.000Z'), ada);
        assert.equal(await store.members.getSessionMember('t1', '2030-01-02T00:00:00.000Z'), null, 'expired');
        assert.equal(await store.members.getSessionMember('nope', '2029-01-01T00:00:00.000Z'), null);
        await store.members.deleteOtherSessions(ada.id, 't1');
        assert.equal(await store.members.getSessionMember('t2', '2029-01-01T00:00:00.000Z'), null);
        assert.equal((await store.members.getSessionMember('t1', '2029-01-01T00:00:00.000Z'))?.id, ada.id);
        assert.equal(
          (await store.members.getSessionMember('t3', '2029-01-01T00:00:00.000Z'))?.id,
          bob.id,
          'others’ kept',
        );
        await store.members.deleteSession('t1');
        assert.equal(await store.members.getSessionMember('t1', '2029-01-01T00:00:00.000Z'), null);
        await store.members.deleteSession('t1');
      });

      test('sessions: a log-in replaces the session the browser had, in one write', async (t) => {
        const store = await fresh(t);
        const ada = await member(store, 'ada');
        const bob = await member(store, 'bob');
        const expires = '2030-01-01T00:00:00.000Z';
        const before = '2029-01-01T00:00:00.000Z';
        await store.sessions.replace(undefined, 'first', ada.id, expires);
        assert.equal((await store.members.getSessionMember('first', before))?.id, ada.id);
        await store.sessions.replace('first', 'second', bob.id, expires);
        assert.equal(await store.members.getSessionMember('first', before), null, 'the old session ended');
        assert.equal((await store.members.getSessionMember('second', before))?.id, bob.id);
        await store.sessions.replace('unknown', 'third', ada.id, expires);
        assert.equal((await store.members.getSessionMember('third', before))?.id, ada.id);
        await assert.rejects(store.sessions.replace('third', 'fourth', 999_999, expires));
        assert.equal(
          (await store.members.getSessionMember('third', before))?.id,
          ada.id,
          'nothing ended when it failed',
        );
      });

      test('rate limits: a fixed window per key', async (t) => {
        const store = await fresh(t);
        const t0 = new Date('2026-11-25T00:00:00Z');
        const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
        for (let i = 0; i < 3; i++)
          assert.deepEqual(await store.members.hitRateLimit('login:1.2.3.4', 3, 60, at(i)), {
            allowed: true,
            retryAfterSeconds: 0,
          });
        assert.deepEqual(await store.members.hitRateLimit('login:1.2.3.4', 3, 60, at(10)), {
          allowed: false,
          retryAfterSeconds: 50,
        });
        assert.deepEqual(await store.members.hitRateLimit('login:1.2.3.4', 3, 60, at(59.5)), {
          allowed: false,
          retryAfterSeconds: 1,
        });
        assert.equal(
          (await store.members.hitRateLimit('login:5.6.7.8', 3, 60, at(10))).allowed,
          true,
          'keys are separate',
        );
        assert.equal(
          (await store.members.hitRateLimit('login:1.2.3.4', 3, 60, at(61))).allowed,
          true,
          'a new window',
        );
        assert.equal((await store.members.hitRateLimit('login:1.2.3.4', 3, 60, at(62))).allowed, true);
        assert.equal((await store.members.hitRateLimit('login:1.2.3.4', 3, 60, at(63))).allowed, true);
        assert.equal((await store.members.hitRateLimit('login:1.2.3.4', 3, 60, at(64))).allowed, false);
        assert.equal((await store.members.hitRateLimit("k'; --", 1, 86_400, at(0))).allowed, true);
      });

      test('rate limits: several keys counted in one write, in order, up to the first refusal', async (t) => {
        const store = await fresh(t);
        const now = new Date('2026-11-25T00:00:00Z');
        const hits = [
          { key: 'login:ip:1.2.3.4', limit: 2, windowSeconds: 60 },
          { key: 'loginAccount:account:ada', limit: 3, windowSeconds: 3600 },
        ];
        for (let i = 0; i < 2; i++)
          assert.deepEqual(await store.rateLimits.hitAll(hits, now), { allowed: true, retryAfterSeconds: 0 });
        assert.deepEqual(await store.rateLimits.hitAll(hits, now), { allowed: false, retryAfterSeconds: 60 });
        // The refused first key kept the second from counting: the account has 2 hits of 3, so one more is allowed.
        assert.equal(
          (await store.members.hitRateLimit('loginAccount:account:ada', 3, 3600, now)).allowed,
          true,
        );
        assert.equal(
          (await store.members.hitRateLimit('loginAccount:account:ada', 3, 3600, now)).allowed,
          false,
        );
        const refusedLater = await store.rateLimits.hitAll(
          [{ key: 'login:ip:5.6.7.8', limit: 2, windowSeconds: 60 }, hits[1] as (typeof hits)[number]],
          now,
        );
        assert.deepEqual(refusedLater, { allowed: false, retryAfterSeconds: 3600 }, 'a later key refuses');
        assert.equal(
          (await store.members.hitRateLimit('login:ip:5.6.7.8', 2, 60, now)).allowed,
          true,
          'first key counted',
        );
        assert.equal((await store.members.hitRateLimit('login:ip:5.6.7.8', 2, 60, now)).allowed, false);
        assert.deepEqual(await store.rateLimits.hitAll([], now), { allowed: true, retryAfterSeconds: 0 });
      });

      test('expired rate-limit counters are purged; current ones keep counting', async (t) => {
        const store = await fresh(t);
        const t0 = new Date('2026-11-25T00:00:00Z');
        const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
        await store.members.hitRateLimit('old', 1, 60, at(0));
        await store.members.hitRateLimit('new', 1, 60, at(100));
        assert.equal(await store.members.purgeRateLimits(at(50)), 1);
        assert.equal(await store.members.purgeRateLimits(at(50)), 0);
        assert.equal(
          (await store.members.hitRateLimit('new', 1, 60, at(101))).allowed,
          false,
          'still counted',
        );
        assert.equal((await store.members.hitRateLimit('old', 1, 60, at(102))).allowed, true, 'started over');
      });

      test('email verification: once, and only for the address the member still has', async (t) => {
        const store = await fresh(t);
        const ada = await member(store, 'ada');
        assert.equal(ada.emailVerified, false, 'sign-ups start unverified');
        const ops = await store.members.createMember({
          username: 'ops',
          email: 'ops@example.org',
          passwordHash: 'h',
          role: 'member',
          emailVerified: true,
        });
        assert.equal(ops.emailVerified, true);
        const now = '2026-11-25T00:00:00.000Z';
        assert.equal(await store.members.verifyMemberEmail(ada.id, 'other@example.org', now), false);
        assert.equal(await store.members.verifyMemberEmail(ada.id, 'ADA@example.org', now), true);
        assert.equal(
          await store.members.verifyMemberEmail(ada.id, 'ada@example.org', now),
          false,
          'used once',
        );
        assert.equal((await store.members.getMember(ada.id))?.emailVerified, true);
        assert.equal((await store.members.findMemberForLogin('ada'))?.emailVerified, true);
        await store.members.createSession('s', ada.id, '2030-01-01T00:00:00.000Z');
        assert.equal((await store.members.getSessionMember('s', now))?.emailVerified, true);
      });

      test('the admin setup token: only while there is no admin, spent by exactly one of concurrent claims', async (t) => {
        const database = await freshDb(t);
        const stores = await openSeveral(database, 3);
        const [store] = stores as [Store];
        assert.equal(await store.members.hasAdmin(), false);
        await member(store, 'early');
        assert.equal(await store.members.hasAdmin(), false, 'members are not admins');
        assert.equal(await store.members.openAdminSetup('old-token'), true);
        assert.equal(await store.members.openAdminSetup('token'), true, 'a new start replaces the token');
        const claim = (s: Store, i: number) =>
          s.members.claimAdminSetup('token', {
            username: `admin${i}`,
            email: `admin${i}@example.org`,
            passwordHash: 'h',
          });
        assert.equal(
          await store.members.claimAdminSetup('old-token', {
            username: 'x',
            email: 'x@example.org',
            passwordHash: 'h',
          }),
          null,
          'the replaced token is void',
        );
        await assert.rejects(
          store.members.claimAdminSetup('token', {
            username: 'EARLY',
            email: 'e@example.org',
            passwordHash: 'h',
          }),
          (error: Error) => error instanceof DuplicateError,
        );
        const results = await Promise.all(
          Array.from({ length: 9 }, (_, i) => claim(stores[i % stores.length] as Store, i)),
        );
        const admins = results.filter((result) => result !== null);
        assert.equal(admins.length, 1, 'one claim wins');
        assert.equal(admins[0]?.role, 'admin');
        assert.equal(admins[0]?.emailVerified, false, 'as given: the route sets it');
        assert.equal(await store.members.hasAdmin(), true);
        assert.equal(await claim(store, 50), null, 'spent');
        assert.equal(await store.members.openAdminSetup('later'), false, 'no setup once there is an admin');
      });

      test('deleting a member: sessions and subscriptions go, comments, submissions and votes stay anonymous', async (t) => {
        const store = await fresh(t);
        await store.papers.writeBatch([paperRecord('2501.00070'), paperRecord('2501.00071')]);
        const ada = await member(store, 'ada');
        const bob = await member(store, 'bob');
        await store.engagement.setUpvote(ada.id, '2501.00070', true);
        const comment = await store.engagement.addComment({
          paperId: '2501.00070',
          memberId: ada.id,
          parentId: null,
          body: 'mine',
        });
        await store.engagement.addComment({
          paperId: '2501.00070',
          memberId: bob.id,
          parentId: null,
          body: 'bob',
        });
        assert.equal(
          await store.engagement.listSubmission('2501.00071', '2025-01-06', ada, '2025-01-06T10:00:00.000Z'),
          true,
        );
        const now = '2025-01-06T11:00:00.000Z';
        await store.subscriptions.createSubscription(
          { email: 'ada@example.org', frequency: 'daily', topics: NO_TOPICS, memberId: null },
          now,
        );
        await store.subscriptions.createSubscription(
          { email: 'other@example.org', frequency: 'weekly', topics: NO_TOPICS, memberId: ada.id },
          now,
        );
        await store.members.createSession('ada-session', ada.id, '2030-01-01T00:00:00.000Z');
        await store.members.createSession('bob-session', bob.id, '2030-01-01T00:00:00.000Z');

        const exported = await store.members.exportMember(ada.id);
        assert.ok(exported);
        assert.deepEqual(exported.profile, {
          username: 'ada',
          email: 'ada@example.org',
          role: 'member',
          createdAt: ada.createdAt,
          emailVerified: false,
        });
        assert.deepEqual(
          exported.upvotes.map((vote) => vote.paperId),
          ['2501.00070'],
        );
        assert.deepEqual(
          exported.comments.map(({ id, body, hidden }) => ({ id, body, hidden })),
          [{ id: comment.id, body: 'mine', hidden: false }],
        );
        assert.deepEqual(exported.submissions, [
          { paperId: '2501.00071', day: '2025-01-06', submittedAt: '2025-01-06T10:00:00.000Z' },
        ]);
        assert.deepEqual(
          exported.subscriptions.map(({ email, frequency, topics }) => ({ email, frequency, topics })),
          [
            { email: 'ada@example.org', frequency: 'daily', topics: NO_TOPICS },
            { email: 'other@example.org', frequency: 'weekly', topics: NO_TOPICS },
          ],
        );
        assert.equal(await store.members.exportMember(ada.id + 1000), null);

        await store.members.deleteMember(ada.id, 'deleted-1a2b');
        assert.equal(await store.members.getSessionMember('ada-session', now), null);
        assert.equal((await store.members.getSessionMember('bob-session', now))?.id, bob.id);
        assert.equal(await store.subscriptions.findSubscriptionByEmail('ada@example.org'), null);
        assert.equal(await store.subscriptions.findSubscriptionByEmail('other@example.org'), null);
        assert.equal(await store.members.findMemberForLogin('ada'), null);
        assert.equal(await store.members.findMemberForLogin('ada@example.org'), null);
        const comments = await store.engagement.listComments('2501.00070');
        assert.deepEqual(
          comments.map((c) => [c.author, c.body]),
          [
            ['deleted-1a2b', 'mine'],
            ['bob', 'bob'],
          ],
        );
        assert.equal((await store.papers.getPaper('2501.00070'))?.upvotes, 1, 'the vote still counts');
        assert.equal((await store.papers.getPaper('2501.00071'))?.daily?.submittedBy?.user, 'deleted-1a2b');
        const again = await member(store, 'ada');
        assert.notEqual(again.id, ada.id, 'the name and address are free again');
        await store.members.deleteMember(ada.id + 1000, 'deleted-none');
      });
    });

    describe('engagement', () => {
      test('a hidden paper takes no upvotes or comments, checked in the write; hidden concurrently, none slip in', async (t) => {
        const database = await freshDb(t);
        const [store, moderator] = await openSeveral(database, 2);
        if (!store || !moderator) throw new Error('two stores');
        await store.papers.writeBatch([paperRecord('2501.00060'), paperRecord('2501.00061')]);
        const voters = await Promise.all(range(8).map((i) => member(store, `hv${i}`)));
        await store.papers.setPaperHidden('2501.00060', true);
        await assert.rejects(
          store.engagement.setUpvote(voters[0]?.id ?? 0, '2501.00060', true),
          HiddenPaperError,
        );
        await assert.rejects(
          store.engagement.addComment({
            paperId: '2501.00060',
            memberId: voters[0]?.id ?? 0,
            parentId: null,
            body: 'hi',
          }),
          HiddenPaperError,
        );
        const paper = await store.papers.getPaper('2501.00060');
        assert.equal(paper?.upvotes, 0);
        assert.equal(paper?.numComments, 0);

        // Votes racing a hide: each vote either counted before the hide or was refused, never one in between.
        const votes = voters.map((voter) => store.engagement.setUpvote(voter.id, '2501.00061', true));
        const hide = moderator.papers.setPaperHidden('2501.00061', true);
        const outcomes = await Promise.allSettled(votes);
        await hide;
        for (const outcome of outcomes)
          if (outcome.status === 'rejected')
            assert.ok(outcome.reason instanceof HiddenPaperError, `${outcome.reason}`);
        const counted = outcomes.filter((outcome) => outcome.status === 'fulfilled').length;
        assert.equal(
          (await store.papers.getPaper('2501.00061'))?.upvotes,
          counted,
          'every counted vote is in the count',
        );
        await assert.rejects(
          store.engagement.setUpvote(voters[0]?.id ?? 0, '2501.00061', false),
          HiddenPaperError,
        );
      });

      test('upvotes: one per member, undo, exact counts on top of imported ones', async (t) => {
        const store = await fresh(t);
        await store.papers.writeBatch([
          listedOn('2025-01-06', '2501.00050', { importedUpvotes: 10 }),
          paperRecord('2501.00051'),
        ]);
        const [m1, m2] = (await Promise.all(['m1', 'm2', 'm3'].map((name) => member(store, name)))) as [
          Member,
          Member,
        ];
        assert.deepEqual(await store.engagement.setUpvote(m1.id, '2501.00050', true), {
          upvotes: 11,
          upvoted: true,
        });
        assert.deepEqual(
          await store.engagement.setUpvote(m1.id, '2501.00050', true),
          { upvotes: 11, upvoted: true },
          'once only',
        );
        assert.deepEqual(await store.engagement.setUpvote(m2.id, '2501.00050', true), {
          upvotes: 12,
          upvoted: true,
        });
        assert.deepEqual(await store.engagement.setUpvote(m1.id, '2501.00050', false), {
          upvotes: 11,
          upvoted: false,
        });
        assert.deepEqual(await store.engagement.setUpvote(m1.id, '2501.00050', false), {
          upvotes: 11,
          upvoted: false,
        });
        assert.deepEqual(await store.engagement.setUpvote(m2.id, '2501.00051', true), {
          upvotes: 1,
          upvoted: true,
        });
        assert.deepEqual(
          [...(await store.engagement.upvotedBy(m2.id, ['2501.00050', 'x', '2501.00051']))].sort(),
          ['2501.00050', '2501.00051'],
        );
        assert.deepEqual([...(await store.engagement.upvotedBy(m1.id, ['2501.00050', '2501.00051']))], []);
        assert.deepEqual([...(await store.engagement.upvotedBy(m2.id, []))], []);
        await assert.rejects(store.engagement.setUpvote(m1.id, '2501.99999', true), NotFoundError);
        assert.equal((await store.papers.getPaper('2501.00050'))?.upvotes, 11);
        assert.equal((await store.papers.searchSignals(['2501.00050'])).get('2501.00050')?.upvotes, 11);
        assert.deepEqual(
          (await store.papers.listPapers({}, { sort: 'upvotes' })).map((paper) => paper.id),
          ['2501.00050', '2501.00051'],
        );
        // Imports keep writing the imported count; members' votes stay on top of it.
        await store.papers.writeBatch([listedOn('2025-01-06', '2501.00050', { importedUpvotes: 20 })]);
        assert.equal((await store.papers.getPaper('2501.00050'))?.upvotes, 21);
      });

      test('comments: one level of threading, counts, hiding', async (t) => {
        const store = await fresh(t);
        await store.papers.writeBatch([
          paperRecord('2501.00060', { importedComments: 2 }),
          paperRecord('2501.00061'),
        ]);
        const ada = await member(store, 'ada');
        const top = await store.engagement.addComment({
          paperId: '2501.00060',
          memberId: ada.id,
          parentId: null,
          body: 'Nice <b>',
        });
        const reply = await store.engagement.addComment({
          paperId: '2501.00060',
          memberId: ada.id,
          parentId: top.id,
          body: 'r1',
        });
        const nested = await store.engagement.addComment({
          paperId: '2501.00060',
          memberId: ada.id,
          parentId: reply.id,
          body: "r2 'quoted' \\ 日本",
        });
        assert.equal(top.parentId, null);
        assert.equal(reply.parentId, top.id);
        assert.equal(nested.parentId, top.id, 'a reply to a reply joins the top thread');
        assert.equal(top.author, 'ada');
        assert.equal(top.body, 'Nice <b>');
        assert.equal(top.paperId, '2501.00060');
        assert.equal(top.hidden, false);
        assert.ok(isIsoTime(top.createdAt), top.createdAt);
        await assert.rejects(
          store.engagement.addComment({
            paperId: '2501.00061',
            memberId: ada.id,
            parentId: top.id,
            body: 'x',
          }),
          NotFoundError,
          'the parent is on another paper',
        );
        await assert.rejects(
          store.engagement.addComment({
            paperId: '2501.00060',
            memberId: ada.id,
            parentId: 999_999,
            body: 'x',
          }),
          NotFoundError,
        );
        await assert.rejects(
          store.engagement.addComment({ paperId: '2501.99999', memberId: ada.id, parentId: null, body: 'x' }),
          NotFoundError,
        );
        assert.equal((await store.papers.getPaper('2501.00060'))?.numComments, 3, 'our comments only');
        assert.equal(
          (await store.papers.getPaper('2501.00060'))?.importedComments,
          2,
          "Hugging Face's, apart",
        );
        assert.equal(
          (await store.papers.getPaper('2501.00061'))?.numComments,
          0,
          'refused comments are not counted',
        );
        await store.engagement.setCommentHidden(reply.id, true);
        await store.engagement.setCommentHidden(reply.id, true);
        assert.equal((await store.papers.getPaper('2501.00060'))?.numComments, 2);
        const visible = await store.engagement.listComments('2501.00060');
        assert.deepEqual(
          visible.map((comment) => comment.body),
          ['Nice <b>', "r2 'quoted' \\ 日本"],
        );
        assert.deepEqual(visible[0], top);
        const all = await store.engagement.listComments('2501.00060', { includeHidden: true });
        assert.deepEqual(
          all.map((comment) => [comment.id, comment.hidden]),
          [
            [top.id, false],
            [reply.id, true],
            [nested.id, false],
          ],
        );
        await store.engagement.setCommentHidden(reply.id, false);
        assert.equal((await store.papers.getPaper('2501.00060'))?.numComments, 3);
        assert.deepEqual(await store.engagement.listComments('2501.00061'), []);
        await assert.rejects(store.engagement.setCommentHidden(999_999, true), NotFoundError);
      });
    });

    describe('subscriptions and digests', () => {
      test('subscriptions: unique address, confirmation, changes, counts', async (t) => {
        const store = await fresh(t);
        const now = '2026-11-24T12:00:00.000Z';
        const later = '2026-11-24T13:00:00.000Z';
        const topics: DigestTopics = {
          queries: ['diffusion models'],
          authors: ['Ada Lovelace'],
          organizations: [],
        };
        const ada = await member(store, 'ada');
        const a = await store.subscriptions.createSubscription(
          { email: 'A@example.org', frequency: 'daily', topics, memberId: ada.id },
          now,
        );
        assert.deepEqual(a, {
          id: a.id,
          email: 'A@example.org',
          frequency: 'daily',
          topics,
          status: 'pending',
          memberId: ada.id,
          createdAt: now,
          updatedAt: now,
          confirmedAt: null,
          bounceReason: null,
        });
        await assert.rejects(
          store.subscriptions.createSubscription(
            { email: 'a@EXAMPLE.org', frequency: 'weekly', topics: NO_TOPICS, memberId: null },
            now,
          ),
          (error: Error) => error instanceof DuplicateError && error.field === 'email',
        );
        assert.deepEqual(await store.subscriptions.getSubscription(a.id), a);
        assert.equal(await store.subscriptions.getSubscription(a.id + 1000), null);
        assert.deepEqual(await store.subscriptions.findSubscriptionByEmail('a@example.ORG'), a);
        assert.equal(await store.subscriptions.findSubscriptionByEmail('b@example.org'), null);

        const active = await store.subscriptions.updateSubscription(a.id, { status: 'active' }, later);
        assert.equal(active.confirmedAt, later);
        assert.equal(active.updatedAt, later);
        assert.equal(active.createdAt, now);
        assert.deepEqual(active.topics, topics, 'unchanged fields stay');
        const again = await store.subscriptions.updateSubscription(
          a.id,
          { status: 'active' },
          '2026-11-25T00:00:00.000Z',
        );
        assert.equal(again.confirmedAt, later, 'confirming twice keeps the first time');
        const changed = await store.subscriptions.updateSubscription(
          a.id,
          { frequency: 'weekly', topics: NO_TOPICS, memberId: null, bounceReason: 'x' },
          later,
        );
        assert.equal(changed.frequency, 'weekly');
        assert.deepEqual(changed.topics, NO_TOPICS);
        assert.equal(changed.memberId, null);
        assert.equal(changed.bounceReason, 'x');
        assert.equal(changed.status, 'active');
        const cleared = await store.subscriptions.updateSubscription(
          a.id,
          { bounceReason: null, memberId: ada.id },
          later,
        );
        assert.equal(cleared.bounceReason, null);
        assert.equal(cleared.memberId, ada.id);
        assert.equal(cleared.frequency, 'weekly');
        await assert.rejects(
          store.subscriptions.updateSubscription(a.id + 1000, { status: 'active' }, later),
          NotFoundError,
        );

        const b = await store.subscriptions.createSubscription(
          { email: 'b@example.org', frequency: 'daily', topics: NO_TOPICS, memberId: null },
          now,
        );
        await store.subscriptions.createSubscription(
          {
            email: 'c@example.org',
            frequency: 'daily',
            topics: { queries: [], authors: [], organizations: ['acme'] },
            memberId: null,
          },
          now,
        );
        await store.subscriptions.updateSubscription(b.id, { status: 'unsubscribed' }, later);
        assert.equal((await store.subscriptions.getSubscription(b.id))?.confirmedAt, null);
        assert.deepEqual(
          (await store.subscriptions.countSubscriptions())
            .map((count) => [count.status, count.frequency, count.topical, count.count])
            .sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y))),
          [
            ['active', 'weekly', false, 1],
            ['pending', 'daily', true, 1],
            ['unsubscribed', 'daily', false, 1],
          ],
        );
      });

      test('the send log: due, claims, outcomes (rejected → bounced), papers sent, runs', async (t) => {
        const store = await fresh(t);
        const now = '2026-11-24T12:00:00.000Z';
        const subscribe = async (email: string, frequency: 'daily' | 'weekly' = 'daily', confirm = true) => {
          const created = await store.subscriptions.createSubscription(
            { email, frequency, topics: NO_TOPICS, memberId: null },
            now,
          );
          return confirm
            ? store.subscriptions.updateSubscription(created.id, { status: 'active' }, now)
            : created;
        };
        const a = await subscribe('a@example.org');
        const pending = await subscribe('pending@example.org', 'daily', false);
        const b = await subscribe('b@example.org');
        const weekly = await subscribe('w@example.org', 'weekly');
        const c = await subscribe('c@example.org');
        const gone = await subscribe('gone@example.org');
        await store.subscriptions.updateSubscription(gone.id, { status: 'unsubscribed' }, now);
        const period = 'daily:2026-11-24';
        const dueIds = async (p = period, afterId = 0, limit = 10) =>
          (await store.digests.dueSubscriptions('daily', p, afterId, limit)).map(
            (entry) => entry.subscription.id,
          );

        assert.deepEqual(await dueIds(), [a.id, b.id, c.id], 'active daily ones, by id');
        assert.ok(!(await dueIds()).includes(pending.id));
        assert.deepEqual(
          (await store.digests.dueSubscriptions('weekly', 'weekly:2026-W47', 0, 10)).map(
            (entry) => entry.subscription.id,
          ),
          [weekly.id],
        );
        assert.deepEqual(await dueIds(period, 0, 2), [a.id, b.id], 'a page');
        assert.deepEqual(await dueIds(period, b.id, 2), [c.id], 'the next page');
        const [first] = await store.digests.dueSubscriptions('daily', period, 0, 1);
        assert.deepEqual(first, {
          subscription: await store.subscriptions.getSubscription(a.id),
          claim: null,
        });

        await store.digests.claimDigests(
          [
            {
              subscriptionId: a.id,
              period,
              status: 'pending',
              paperIds: ['2611.1', '2611.2'],
              messageId: '<m1@x>',
            },
            { subscriptionId: b.id, period, status: 'empty', paperIds: [], messageId: null },
          ],
          now,
        );
        assert.deepEqual(await store.digests.getDigestSend(a.id, period), {
          subscriptionId: a.id,
          period,
          status: 'pending',
          paperIds: ['2611.1', '2611.2'],
          messageId: '<m1@x>',
          attempts: 0,
          lastError: null,
          updatedAt: now,
        });
        assert.equal(await store.digests.getDigestSend(c.id, period), null);
        // Claiming again changes nothing: the first claim's papers and Message-ID stay.
        await store.digests.claimDigests(
          [{ subscriptionId: a.id, period, status: 'pending', paperIds: ['9'], messageId: '<m2@x>' }],
          '2026-11-24T12:30:00.000Z',
        );
        await store.digests.claimDigests([], now);
        const due = await store.digests.dueSubscriptions('daily', period, 0, 10);
        assert.deepEqual(
          due.map((entry) => [
            entry.subscription.id,
            entry.claim?.paperIds ?? null,
            entry.claim?.messageId ?? null,
          ]),
          [
            [a.id, ['2611.1', '2611.2'], '<m1@x>'],
            [c.id, null, null],
          ],
          'the pending claim is due again with the same content; the empty one is done',
        );
        assert.deepEqual(due[0]?.claim, await store.digests.getDigestSend(a.id, period));

        const sent = await store.digests.sentPaperIds([a.id, b.id, c.id], '2026-01-01T00:00:00.000Z');
        assert.deepEqual([...sent.keys()], [a.id], 'empty digests and unclaimed ones have no papers');
        assert.deepEqual([...(sent.get(a.id) ?? [])].sort(), ['2611.1', '2611.2']);
        assert.equal((await store.digests.sentPaperIds([a.id], '2026-11-25T00:00:00.000Z')).size, 0, 'since');
        assert.equal((await store.digests.sentPaperIds([], '2026-01-01T00:00:00.000Z')).size, 0);

        const t1 = '2026-11-24T12:01:00.000Z';
        await store.digests.recordDigestOutcome(
          a.id,
          period,
          { status: 'pending', error: '451 try later' },
          t1,
        );
        let send = await store.digests.getDigestSend(a.id, period);
        assert.equal(send?.status, 'pending');
        assert.equal(send?.attempts, 1);
        assert.equal(send?.lastError, '451 try later');
        assert.equal(send?.updatedAt, t1);
        assert.deepEqual(await dueIds(), [a.id, c.id], 'deferred: still due');
        await store.digests.recordDigestOutcome(a.id, period, { status: 'sent' }, t1);
        send = await store.digests.getDigestSend(a.id, period);
        assert.equal(send?.status, 'sent');
        assert.equal(send?.attempts, 2);
        assert.equal(send?.lastError, null);
        assert.deepEqual(await dueIds(), [c.id]);
        // A late outcome for a digest already marked sent does not undo it.
        await store.digests.recordDigestOutcome(a.id, period, { status: 'pending', error: 'late' }, t1);
        assert.equal((await store.digests.getDigestSend(a.id, period))?.status, 'sent');
        assert.deepEqual(
          [
            ...((await store.digests.sentPaperIds([a.id], '2026-01-01T00:00:00.000Z')).get(a.id) ?? []),
          ].sort(),
          ['2611.1', '2611.2'],
          'sent papers are remembered',
        );

        const next = 'daily:2026-11-25';
        assert.deepEqual(await dueIds(next), [a.id, b.id, c.id], 'a new period: everyone is due again');
        await store.digests.claimDigests(
          [
            { subscriptionId: b.id, period: next, status: 'pending', paperIds: ['3'], messageId: '<m3@x>' },
            { subscriptionId: a.id, period: next, status: 'pending', paperIds: ['4'], messageId: '<m4@x>' },
          ],
          now,
        );
        await store.digests.recordDigestOutcome(
          b.id,
          next,
          { status: 'rejected', error: '550 no such user' },
          t1,
        );
        assert.equal((await store.digests.getDigestSend(b.id, next))?.status, 'rejected');
        assert.equal((await store.digests.getDigestSend(b.id, next))?.lastError, '550 no such user');
        const bounced = await store.subscriptions.getSubscription(b.id);
        assert.equal(bounced?.status, 'bounced');
        assert.equal(bounced?.bounceReason, '550 no such user');
        assert.equal(bounced?.updatedAt, t1);
        assert.deepEqual(await dueIds(next), [a.id, c.id], 'a bounced address is not due');
        assert.ok(
          !(await store.digests.sentPaperIds([b.id], '2026-01-01T00:00:00.000Z')).get(b.id)?.has('3'),
        );
        await store.digests.recordDigestOutcome(
          a.id,
          next,
          { status: 'rejected', error: 'x'.repeat(5000) },
          t1,
        );
        assert.equal(
          (await store.subscriptions.getSubscription(a.id))?.status,
          'bounced',
          'a long error is no problem',
        );

        // A rejection for a subscriber who has left keeps them unsubscribed.
        await store.digests.claimDigests(
          [{ subscriptionId: c.id, period: next, status: 'pending', paperIds: ['5'], messageId: '<m5@x>' }],
          now,
        );
        await store.subscriptions.updateSubscription(c.id, { status: 'unsubscribed' }, t1);
        await store.digests.recordDigestOutcome(c.id, next, { status: 'rejected', error: '550' }, t1);
        assert.equal((await store.subscriptions.getSubscription(c.id))?.status, 'unsubscribed');

        assert.deepEqual(await store.digests.listDigestRuns(10), []);
        const run1 = await store.digests.startDigestRun(period, '2026-11-24T12:00:00.000Z');
        const run2 = await store.digests.startDigestRun(next, '2026-11-25T12:00:00.000Z');
        assert.notEqual(run1, run2);
        let runs = await store.digests.listDigestRuns(10);
        assert.deepEqual(
          runs.map((run) => run.id),
          [run2, run1],
          'newest first',
        );
        assert.deepEqual(runs[1], {
          id: run1,
          period,
          status: 'running',
          startedAt: '2026-11-24T12:00:00.000Z',
          finishedAt: null,
          sent: 0,
          empty: 0,
          rejected: 0,
          deferred: 0,
          note: null,
        });
        await store.digests.finishDigestRun(
          run1,
          {
            sent: 5,
            empty: 2,
            rejected: 1,
            deferred: 3,
            status: 'failed',
            note: 'stopped: server unavailable',
          },
          '2026-11-24T12:10:00.000Z',
        );
        await store.digests.finishDigestRun(
          run2,
          { sent: 1, empty: 0, rejected: 0, deferred: 0, status: 'finished', note: null },
          '2026-11-25T12:10:00.000Z',
        );
        runs = await store.digests.listDigestRuns(1);
        assert.equal(runs.length, 1);
        assert.deepEqual((await store.digests.listDigestRuns(10))[1], {
          id: run1,
          period,
          status: 'failed',
          startedAt: '2026-11-24T12:00:00.000Z',
          finishedAt: '2026-11-24T12:10:00.000Z',
          sent: 5,
          empty: 2,
          rejected: 1,
          deferred: 3,
          note: 'stopped: server unavailable',
        });
        assert.equal(runs[0]?.status, 'finished');
      });

      test('sendDigests on this store: delivered once each, a rejection bounces, a deferral is resent as claimed', async (t) => {
        const store = await fresh(t);
        const day = '2026-11-24';
        await store.papers.writeBatch(
          range(8).map((i) =>
            listedOn('2026-11-23', `2611.0${String(i).padStart(4, '0')}`, {
              title: i % 2 ? `Diffusion models study ${i}` : `Graph networks study ${i}`,
              abstract: i % 2 ? 'Denoising diffusion for images.' : 'Message passing on graphs.',
              importedUpvotes: 100 - i,
            }),
          ),
        );
        const now = new Date().toISOString();
        const subscribe = async (email: string, topics: DigestTopics = NO_TOPICS, confirm = true) => {
          const created = await store.subscriptions.createSubscription(
            { email, frequency: 'daily', topics, memberId: null },
            now,
          );
          return confirm
            ? store.subscriptions.updateSubscription(created.id, { status: 'active' }, now)
            : created;
        };
        const everything = await subscribe('all@example.org');
        const topical = await subscribe('topic@example.org', {
          queries: ['diffusion'],
          authors: [],
          organizations: [],
        });
        const unconfirmed = await subscribe('unconfirmed@example.org', NO_TOPICS, false);
        const rejected = await subscribe('rejected@example.org');
        const flaky = await subscribe('flaky@example.org');
        const delivered: RawMail[] = [];
        let flakyWorks = false;
        const mailer: Mailer = {
          mode: { kind: 'outbox', path: '/nonexistent' },
          concurrency: 2,
          async send(mail) {
            const raw = mail as RawMail;
            if (raw.to.startsWith('rejected')) throw new MailError('550 no such user', 'rejected', 550);
            if (raw.to.startsWith('flaky') && !flakyWorks)
              throw new MailError('451 try again later', 'temporary', 451);
            delivered.push(raw);
            return { messageId: raw.messageId };
          },
          async close() {},
        };
        const deps = { store, mailer, links: new MailLinks('a test secret', 'http://127.0.0.1:1') };
        const options = {
          frequency: 'daily' as const,
          day,
          from: 'Dailypapers <digest@example.org>',
          retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 2 },
        };
        const first = await sendDigests(deps, options);
        assert.deepEqual(
          [first.sent, first.rejected, first.deferred, first.empty, first.stopped],
          [2, 1, 1, 0, null],
        );
        assert.deepEqual(delivered.map((mail) => mail.to).sort(), ['all@example.org', 'topic@example.org']);
        const flakyClaim = await store.digests.getDigestSend(flaky.id, `daily:${day}`);
        assert.equal(flakyClaim?.status, 'pending');
        assert.equal(flakyClaim?.attempts, 1);
        assert.match(flakyClaim?.lastError ?? '', /451/);
        assert.equal((await store.subscriptions.getSubscription(rejected.id))?.status, 'bounced');
        assert.equal((await store.digests.getDigestSend(unconfirmed.id, `daily:${day}`)) ?? null, null);
        const topicalSend = await store.digests.getDigestSend(topical.id, `daily:${day}`);
        assert.ok((topicalSend?.paperIds.length ?? 0) > 0);
        assert.ok(
          (await store.papers.getPapers(topicalSend?.paperIds ?? [])).every((paper) =>
            /Diffusion/.test(paper.title),
          ),
          'a topic digest holds its matches',
        );
        assert.equal((await store.digests.getDigestSend(everything.id, `daily:${day}`))?.paperIds.length, 8);
        const [firstRun] = await store.digests.listDigestRuns(1);
        assert.equal(firstRun?.status, 'finished');
        assert.equal(firstRun?.sent, 2);
        assert.equal(firstRun?.deferred, 1);
        assert.deepEqual(
          await store.jobs.tryLock(
            'digest:daily',
            'probe',
            '2099-01-01T00:00:00.000Z',
            new Date().toISOString(),
          ),
          {
            acquired: true,
            holder: 'probe',
          },
          'the run released its lock',
        );
        await store.jobs.releaseLock('digest:daily', 'probe');

        flakyWorks = true;
        const second = await sendDigests(deps, options);
        assert.deepEqual([second.sent, second.rejected, second.deferred], [1, 0, 0]);
        const resent = delivered.at(-1);
        assert.equal(resent?.to, 'flaky@example.org');
        assert.equal(resent?.messageId, flakyClaim?.messageId, 'the same Message-ID as claimed');
        assert.equal((await store.digests.getDigestSend(flaky.id, `daily:${day}`))?.status, 'sent');
        const third = await sendDigests(deps, options);
        assert.equal(third.runId, null, 'nothing due: no run');
        assert.equal(delivered.length, 3, 'nobody got a digest twice');
        assert.equal((await store.digests.listDigestRuns(10)).length, 2);
      });

      test('locks: one owner at a time, expiry, replacing a dead owner, release by the owner only', async (t) => {
        const store = await fresh(t);
        const now = '2026-11-24T12:00:00.000Z';
        const later = '2026-11-24T12:05:00.000Z';
        assert.deepEqual(await store.jobs.tryLock('digest:daily', 'one', later, now), {
          acquired: true,
          holder: 'one',
        });
        assert.deepEqual(await store.jobs.tryLock('digest:daily', 'two', later, now), {
          acquired: false,
          holder: 'one',
        });
        assert.deepEqual(
          await store.jobs.tryLock('digest:daily', 'one', '2026-11-24T12:10:00.000Z', now),
          { acquired: true, holder: 'one' },
          'renewed by its owner',
        );
        assert.equal(
          (await store.jobs.tryLock('digest:daily', 'two', later, '2026-11-24T12:06:00.000Z')).acquired,
          false,
          'the renewal moved the expiry',
        );
        assert.deepEqual(
          await store.jobs.tryLock('digest:weekly', 'two', later, now),
          {
            acquired: true,
            holder: 'two',
          },
          'locks are separate by name',
        );
        await store.jobs.releaseLock('digest:daily', 'two');
        assert.equal(
          (await store.jobs.tryLock('digest:daily', 'three', later, now)).holder,
          'one',
          'only the owner releases',
        );
        assert.deepEqual(
          await store.jobs.tryLock('digest:daily', 'two', later, now, 'one'),
          { acquired: true, holder: 'two' },
          'replacing a dead owner',
        );
        assert.equal((await store.jobs.tryLock('digest:daily', 'four', later, now, 'one')).acquired, false);
        assert.deepEqual(
          await store.jobs.tryLock(
            'digest:daily',
            'three',
            '2026-11-24T13:00:00.000Z',
            '2026-11-24T12:06:00.000Z',
          ),
          { acquired: true, holder: 'three' },
          'expired',
        );
        await store.jobs.releaseLock('digest:daily', 'three');
        assert.equal(
          (await store.jobs.tryLock('digest:daily', 'four', later, now)).acquired,
          true,
          'released',
        );
        await store.jobs.releaseLock('never-taken', 'x');
      });

      test('settings: the first value is kept', async (t) => {
        const store = await fresh(t);
        assert.equal(await store.jobs.ensureSetting('link-secret', 'first'), 'first');
        assert.equal(
          await store.jobs.ensureSetting('link-secret', 'second'),
          'first',
          'generated once, then kept',
        );
        assert.equal(await store.jobs.ensureSetting('other', 'it\'s "quoted"'), 'it\'s "quoted"');
        assert.equal(await store.jobs.ensureSetting('link-secret', ''), 'first');
      });
    });

    describe('several processes on one database', () => {
      test('data survives closing and reopening; a reopened database is not migrated twice', async (t) => {
        const database = await freshDb(t);
        const first = await database.open();
        await first.papers.writeBatch([listedOn('2025-01-06', '2501.00001', { importedUpvotes: 3 })]);
        const ada = await member(first, 'ada');
        await first.engagement.setUpvote(ada.id, '2501.00001', true);
        await first.vectors.setEmbeddingModel('m', Buffer.from([1]));
        await first.close();
        const second = await database.open();
        assert.equal((await second.papers.getPaper('2501.00001'))?.upvotes, 4);
        assert.equal((await second.members.findMemberForLogin('ada'))?.id, ada.id);
        assert.equal((await second.vectors.getEmbeddingModel())?.model, 'm');
        await second.close();
      });

      test('several instances opening a fresh database at once: it is migrated once and all of them work', async (t) => {
        const database = await freshDb(t);
        const stores = await Promise.all(range(3).map(() => database.open()));
        await stores[0]?.papers.writeBatch([paperRecord('2501.00001')]);
        for (const store of stores) assert.equal(await store.papers.countPapers(), 1);
      });

      test('several processes opening a fresh database at once each migrate it safely and write', async (t) => {
        const database = await freshDb(t);
        await Promise.all(range(3).map((i) => writeFromAnotherProcess(database, `2501.0000${i + 1}`)));
        const store = await database.open();
        assert.equal(await store.papers.countPapers(), 3);
      });

      test('dataVersion is stable while nothing is written and changes with every write by another instance', async (t) => {
        const database = await freshDb(t);
        const reader = await database.open();
        const writer = await database.open();
        await writer.papers.writeBatch([listedOn('2025-01-06', '2501.00001'), paperRecord('2501.00002')]);
        const ada = await member(writer, 'ada');
        const { id: commentId } = await writer.engagement.addComment({
          paperId: '2501.00001',
          memberId: ada.id,
          parentId: null,
          body: 'first',
        });
        const writes: Array<[string, () => Promise<unknown>]> = [
          ['writeBatch (new paper)', () => writer.papers.writeBatch([paperRecord('2501.00003')])],
          [
            'writeBatch (changed paper)',
            () => writer.papers.writeBatch([paperRecord('2501.00003', { githubStars: 5 })]),
          ],
          ['setUpvote', () => writer.engagement.setUpvote(ada.id, '2501.00001', true)],
          ['setUpvote (undo)', () => writer.engagement.setUpvote(ada.id, '2501.00001', false)],
          [
            'addComment',
            () =>
              writer.engagement.addComment({
                paperId: '2501.00001',
                memberId: ada.id,
                parentId: null,
                body: 'x',
              }),
          ],
          ['setCommentHidden', () => writer.engagement.setCommentHidden(commentId, true)],
          ['setPaperHidden', () => writer.papers.setPaperHidden('2501.00002', true)],
          [
            'listSubmission',
            () =>
              writer.engagement.listSubmission('2501.00003', '2025-01-07', ada, '2025-01-07T10:00:00.000Z'),
          ],
          [
            'an import committed',
            async () => {
              const tx = await writer.papers.beginImport();
              await tx.writeBatch([paperRecord('2501.00004')]);
              await tx.commit();
            },
          ],
          ['createMember', () => member(writer, 'bob')],
        ];
        for (const [what, write] of writes) {
          const before = await reader.dataVersion();
          await reader.papers.listPapers({}, { sort: 'newest' });
          await writer.papers.getPaper('2501.00001');
          assert.equal(await reader.dataVersion(), before, `stable before ${what}`);
          await write();
          const after = await reader.dataVersion();
          assert.notEqual(after, before, `${what} through another instance changes dataVersion`);
          assert.equal(typeof after, 'string');
        }
        const own = await writer.dataVersion();
        await writer.papers.writeBatch([paperRecord('2501.00005')]);
        assert.notEqual(await writer.dataVersion(), own, 'a write through the same instance too');
        const mid = await reader.dataVersion();
        await writeFromAnotherProcess(database, '2501.00006');
        assert.notEqual(await reader.dataVersion(), mid, 'a write by another process changes it');
        assert.ok(await reader.papers.getPaper('2501.00006'), 'and is visible');
      });

      test('parallel upvotes from 200 members through several instances give exact counts', async (t) => {
        const database = await freshDb(t);
        const stores = await openSeveral(database, 4);
        const on = (i: number) => stores[i % stores.length] as Store;
        await on(0).papers.writeBatch([
          listedOn('2025-01-06', '2501.00001', { importedUpvotes: 7 }),
          listedOn('2025-01-06', '2501.00002'),
        ]);
        const members = await Promise.all(range(200).map((i) => member(on(i), `voter${i}`)));
        assert.equal(new Set(members.map((m) => m.id)).size, 200);
        assert.equal(await on(1).members.countMembers(), 200);
        const votes = await Promise.all(
          members.map((m, i) => on(i).engagement.setUpvote(m.id, '2501.00001', true)),
        );
        assert.ok(votes.every((vote) => vote.upvoted && vote.upvotes >= 8 && vote.upvotes <= 207));
        assert.equal(Math.max(...votes.map((vote) => vote.upvotes)), 207);
        for (const store of stores) assert.equal((await store.papers.getPaper('2501.00001'))?.upvotes, 207);

        // The same member voting twice at once through two instances counts once.
        await Promise.all(
          members
            .slice(0, 50)
            .flatMap((m, i) => [
              on(i).engagement.setUpvote(m.id, '2501.00002', true),
              on(i + 1).engagement.setUpvote(m.id, '2501.00002', true),
            ]),
        );
        assert.equal((await on(2).papers.getPaper('2501.00002'))?.upvotes, 50);

        // Undo by half, twice each at once, mixed with new votes on the other paper.
        await Promise.all([
          ...members
            .slice(0, 100)
            .flatMap((m, i) => [
              on(i).engagement.setUpvote(m.id, '2501.00001', false),
              on(i + 2).engagement.setUpvote(m.id, '2501.00001', false),
            ]),
          ...members.slice(50, 150).map((m, i) => on(i + 3).engagement.setUpvote(m.id, '2501.00002', true)),
        ]);
        for (const store of stores) {
          assert.equal((await store.papers.getPaper('2501.00001'))?.upvotes, 107);
          assert.equal((await store.papers.getPaper('2501.00002'))?.upvotes, 150);
        }
        assert.equal((await on(3).papers.searchSignals(['2501.00001'])).get('2501.00001')?.upvotes, 107);
        assert.deepEqual(
          [...(await on(0).engagement.upvotedBy(members[0]?.id ?? 0, ['2501.00001', '2501.00002']))],
          ['2501.00002'],
        );
        assert.deepEqual(
          [...(await on(0).engagement.upvotedBy(members[150]?.id ?? 0, ['2501.00001', '2501.00002']))],
          ['2501.00001'],
        );
      });

      test('races between instances: one lock owner, one setting, one member per name, one claim, exact rate limits', async (t) => {
        const database = await freshDb(t);
        const stores = await openSeveral(database, 4);
        const now = '2026-11-24T12:00:00.000Z';
        const expires = '2026-11-24T12:05:00.000Z';

        for (const name of ['digest:daily', 'digest:weekly', 'job:a', 'job:b', 'job:c']) {
          const results = await Promise.all(
            stores.map((store, i) => store.jobs.tryLock(name, `owner-${i}`, expires, now)),
          );
          const winners = results.filter((result) => result.acquired);
          assert.equal(winners.length, 1, `${name}: one owner, not ${JSON.stringify(results)}`);
          const holder = winners[0]?.holder;
          assert.ok(
            results.every((result) => result.holder === holder),
            `${name}: everyone sees ${holder}`,
          );
        }

        for (const key of ['link-secret', 'other-secret']) {
          const values = await Promise.all(
            stores.map((store, i) => store.jobs.ensureSetting(key, `value-${i}`)),
          );
          assert.equal(new Set(values).size, 1, `${key}: all agree, not ${values.join(', ')}`);
          assert.ok(values[0]?.startsWith('value-'));
          assert.equal(await stores[0]?.jobs.ensureSetting(key, 'later'), values[0]);
        }

        const created = await Promise.allSettled(
          stores.map((store, i) =>
            store.members.createMember({
              username: i % 2 ? 'Racer' : 'racer',
              email: `racer${i}@example.org`,
              passwordHash: 'h',
              role: 'member',
            }),
          ),
        );
        assert.equal(created.filter((result) => result.status === 'fulfilled').length, 1);
        for (const result of created) {
          if (result.status === 'rejected')
            assert.ok(
              result.reason instanceof DuplicateError && result.reason.field === 'username',
              String(result.reason),
            );
        }
        const emails = await Promise.allSettled(
          stores.map((store, i) =>
            store.members.createMember({
              username: `mail${i}`,
              email: i % 2 ? 'SAME@example.org' : 'same@example.org',
              passwordHash: 'h',
              role: 'member',
            }),
          ),
        );
        assert.equal(emails.filter((result) => result.status === 'fulfilled').length, 1);
        assert.ok(
          emails.every(
            (result) =>
              result.status === 'fulfilled' ||
              (result.reason instanceof DuplicateError && result.reason.field === 'email'),
          ),
        );

        const subscriptions = await Promise.allSettled(
          stores.map((store, i) =>
            store.subscriptions.createSubscription(
              {
                email: i % 2 ? 'Sub@Example.org' : 'sub@example.org',
                frequency: 'daily',
                topics: NO_TOPICS,
                memberId: null,
              },
              now,
            ),
          ),
        );
        const made = subscriptions.filter((result) => result.status === 'fulfilled');
        assert.equal(made.length, 1);
        assert.ok(
          subscriptions.every(
            (result) =>
              result.status === 'fulfilled' ||
              (result.reason instanceof DuplicateError && result.reason.field === 'email'),
          ),
        );
        const subscription = (made[0] as PromiseFulfilledResult<{ id: number }>).value;
        await stores[0]?.subscriptions.updateSubscription(subscription.id, { status: 'active' }, now);
        const period = 'daily:2026-11-24';
        await Promise.all(
          stores.map((store, i) =>
            store.digests.claimDigests(
              [
                {
                  subscriptionId: subscription.id,
                  period,
                  status: 'pending',
                  paperIds: [`p${i}`],
                  messageId: `<m${i}@x>`,
                },
              ],
              now,
            ),
          ),
        );
        const claims = await Promise.all(
          stores.map((store) => store.digests.getDigestSend(subscription.id, period)),
        );
        assert.equal(
          new Set(claims.map((claim) => claim?.messageId)).size,
          1,
          'one claim wins, everyone sees it',
        );
        assert.deepEqual(claims[0]?.paperIds, [`p${claims[0]?.messageId?.slice(2, 3)}`]);
        const due = await stores[3]?.digests.dueSubscriptions('daily', period, 0, 10);
        assert.equal(due?.[0]?.claim?.messageId, claims[0]?.messageId);
        await Promise.all(
          stores.map((store) =>
            store.digests.recordDigestOutcome(subscription.id, period, { status: 'sent' }, now),
          ),
        );
        const send = await stores[1]?.digests.getDigestSend(subscription.id, period);
        assert.equal(send?.status, 'sent');
        assert.equal(send?.attempts, 1, 'the first outcome counts; later ones find it sent');

        const at = new Date('2026-11-25T00:00:00Z');
        const hits = await Promise.all(
          range(40).map((i) => (stores[i % 4] as Store).members.hitRateLimit('subscribe:x', 10, 60, at)),
        );
        assert.equal(hits.filter((hit) => hit.allowed).length, 10, 'exactly the limit, across processes');
        assert.ok(hits.filter((hit) => !hit.allowed).every((hit) => hit.retryAfterSeconds === 60));
      });
    });

    peopleContract(fresh, async (t, count) => openSeveral(await freshDb(t), count));

    test('every Store method was exercised', () => {
      const missing = [
        ...STORE_METHODS.filter((method) => !calls.has(method)),
        ...(Object.keys(AREA_METHODS) as StoreArea[]).flatMap((area) => uncalled(area, calls)),
      ];
      assert.deepEqual(missing, [], `never called on ${kind}: ${missing.join(', ')}`);
    });
  });
}
