// The Store contract for papers and imports, day lists, run on every store kind (test/store/support/contract.ts).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseSearchQuery } from '../../src/domain/search-query.ts';
import { NO_TOPICS } from '../../src/domain/subscription.ts';
import { NotFoundError } from '../../src/store/store.ts';
import { author, listedOn, paperRecord } from '../helpers/records.ts';
import { member, openSeveral, range, sleep, storeContract, words } from './support/contract.ts';
import { callName, PAPER_SEARCH_METHODS } from './support/methods.ts';

storeContract(
  { areas: ['papers'], except: PAPER_SEARCH_METHODS.map((method) => callName('papers', method)) },
  ({ kind, freshDb, fresh }) => {
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
        });
        assert.deepEqual(
          await store.papers.hfExtras(['2501.00002', 'hep-th/9901001', '2501.99999']),
          new Map([
            [
              '2501.00002',
              {
                paper: {
                  discussionId: '6650a1',
                  title: 'Attention  $O(n)$',
                  mediaUrls: ['https://a.b/v.mp4'],
                },
                isAuthorParticipating: true,
                note: 'Ünïcode\n  spacing kept',
              },
            ],
          ]),
          'kept apart from the paper; papers without one and unknown ids left out',
        );
        assert.deepEqual(await store.papers.hfExtras([]), new Map());
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

      test('paper links: title, listing or arXiv day and upvotes of the visible papers, in the order asked', async (t) => {
        const store = await fresh(t);
        await store.papers.writeBatch([
          listedOn('2025-02-03', '2502.00001', {
            title: 'Listed',
            importedUpvotes: 7,
            publishedAt: '2025-02-01',
          }),
          paperRecord('2502.00002', { title: 'Only on arXiv', publishedAt: '2025-01-15' }),
          paperRecord('2502.00003', { title: 'Taken down' }),
        ]);
        await store.papers.setPaperHidden('2502.00003', true);
        const voter = await member(store, 'linkvoter');
        await store.engagement.setUpvote(voter.id, '2502.00001', true);
        assert.deepEqual(
          await store.papers.paperLinks(['2502.00002', '2502.99999', '2502.00003', '2502.00001']),
          [
            { id: '2502.00002', title: 'Only on arXiv', day: null, publishedAt: '2025-01-15', upvotes: 0 },
            { id: '2502.00001', title: 'Listed', day: '2025-02-03', publishedAt: '2025-02-01', upvotes: 8 },
          ],
          "unknown and hidden ids left out; upvotes count the imported and the members' ones",
        );
        assert.deepEqual(await store.papers.paperLinks([]), []);
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
        assert.deepEqual((await store.papers.hfExtras(['2501.00003'])).get('2501.00003'), hfExtra);
        const later = { ...hfExtra, isAuthorParticipating: false };
        await store.papers.writeBatch([paperRecord('2501.00003', { source: 'huggingface', hfExtra: later })]);
        assert.deepEqual(
          (await store.papers.hfExtras(['2501.00003'])).get('2501.00003'),
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

      test('records prepared ahead are written as without it and found by the words they keep', async (t) => {
        const store = await fresh(t);
        const found = async (query: string) =>
          (await store.papers.keywordSearch(parseSearchQuery(query), 10)).map((hit) => hit.id).sort();
        const first = [paperRecord('2501.00030', { title: 'Quokka habitats', version: 2 })];
        const next = [
          paperRecord('2501.00031', { title: 'Wombat burrows', authors: [author('Grace Hopper')] }),
          paperRecord('2501.00030', { title: 'Platypus older title', version: 1 }),
        ];
        store.papers.prepareWrite(first);
        const writing = store.papers.writeBatch(first);
        store.papers.prepareWrite(next);
        await writing;
        assert.deepEqual(await store.papers.writeBatch(next), { inserted: 1, updated: 0, unchanged: 1 });
        assert.deepEqual(await found('wombat'), ['2501.00031']);
        assert.deepEqual(await found('hopper'), ['2501.00031']);
        assert.deepEqual(await found('quokka'), ['2501.00030']);
        assert.deepEqual(await found('platypus'), [], 'an older version prepared ahead changes nothing');

        // Prepared with one text, written with another: indexed by what is written.
        store.papers.prepareWrite([paperRecord('2501.00031', { title: 'Echidna spines', version: 2 })]);
        await store.papers.writeBatch([paperRecord('2501.00031', { title: 'Numbat diets', version: 3 })]);
        assert.deepEqual(await found('numbat'), ['2501.00031']);
        assert.deepEqual(await found('wombat'), []);
        assert.deepEqual(await found('echidna'), []);
        await store.papers.writeBatch([
          paperRecord('2501.00030', { abstract: 'About a bilby.', version: 3 }),
        ]);
        assert.deepEqual(await found('bilby'), ['2501.00030'], 'a change not prepared ahead is indexed too');
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

      test('stamps list the same papers in the same order, with counts and a change time that moves with the metadata only', async (t) => {
        const store = await fresh(t);
        await store.papers.writeBatch([
          listedOn('2025-01-06', '2501.00051', { importedUpvotes: 5 }),
          listedOn('2025-01-06', '2501.00052', { importedUpvotes: 9 }),
          listedOn('2025-01-08', '2501.00053', { importedUpvotes: 5 }),
          listedOn('2025-01-10', '2501.00054', { importedUpvotes: 100 }),
        ]);
        await store.papers.setPaperHidden('2501.00054', true);
        const days = { days: { fromDay: '2025-01-01', toDay: '2025-01-31' } };
        for (const options of [
          {},
          { sort: 'newest' as const },
          { limit: 2, offset: 1 },
          { includeHidden: true },
        ]) {
          const papers = await store.papers.listPapers(days, options);
          const stamps = await store.papers.listPaperStamps(days, options);
          assert.deepEqual(
            stamps.map(({ id, upvotes, numComments }) => ({ id, upvotes, numComments })),
            papers.map(({ id, upvotes, numComments }) => ({ id, upvotes, numComments })),
            JSON.stringify(options),
          );
        }
        const stampOf = async (id: string) =>
          (await store.papers.listPaperStamps(days, { includeHidden: true })).find(
            (stamp) => stamp.id === id,
          );
        const before = await stampOf('2501.00051');
        assert.match(before?.changedAt ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        const voter = await member(store, 'stamp-voter');
        await store.engagement.setUpvote(voter.id, '2501.00051', true);
        await store.engagement.addComment({
          paperId: '2501.00051',
          memberId: voter.id,
          parentId: null,
          body: 'Nice',
        });
        const voted = await stampOf('2501.00051');
        assert.deepEqual(
          { upvotes: voted?.upvotes, numComments: voted?.numComments, changedAt: voted?.changedAt },
          { upvotes: 6, numComments: 1, changedAt: before?.changedAt },
          'a vote and a comment change the counts, not the change time',
        );
        await sleep(5);
        await store.papers.writeBatch([
          listedOn('2025-01-06', '2501.00051', { title: 'A new title', importedUpvotes: 5 }),
        ]);
        const reimported = await stampOf('2501.00051');
        assert.ok(
          (reimported?.changedAt ?? '') > (before?.changedAt ?? ''),
          'new metadata, a later change time',
        );
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
    });
  },
);
