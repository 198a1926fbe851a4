// The Store contract for keyword search, search filters and signals, run on every store kind (test/store/support/contract.ts).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parseSearchQuery } from '../../src/domain/search-query.ts';
import type { Store } from '../../src/store/store.ts';
import { author, paperRecord, searchCorpus } from '../helpers/records.ts';
import type { StoreDatabase } from '../helpers/stores.ts';
import { storeContract, words } from './support/contract.ts';
import { callName, PAPER_SEARCH_METHODS } from './support/methods.ts';

storeContract(
  { areas: ['indexWords'], methods: PAPER_SEARCH_METHODS.map((method) => callName('papers', method)) },
  ({ kind, freshDb, fresh }) => {
    describe('search', () => {
      test('a word in hundreds of papers ranks each of them once, best first, within the limit', async (t) => {
        const store = await fresh(t);
        await store.papers.writeBatch(
          Array.from({ length: 700 }, (_, i) =>
            paperRecord(`2504.${String(i).padStart(5, '0')}`, {
              title: i === 350 ? 'Quokka behaviour' : `Marsupial study ${i}`,
              abstract: `Field notes ${i} on the quokka and other marsupials.`,
            }),
          ),
        );
        const hits = await store.papers.keywordSearch(parseSearchQuery('quokka'), 1000);
        assert.equal(hits.length, 700);
        assert.equal(new Set(hits.map((hit) => hit.id)).size, 700, 'each paper once');
        assert.equal(hits[0]?.id, '2504.00350', 'the title match first');
        assert.ok(
          hits.every((hit, i) => i === 0 || (hits[i - 1]?.score ?? 0) >= hit.score),
          'best first',
        );
        assert.deepEqual(
          (await store.papers.keywordSearch(parseSearchQuery('quokka'), 10)).map((hit) => hit.id),
          hits.slice(0, 10).map((hit) => hit.id),
        );
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

      test('the index vocabulary: terms with their papers, words as the index stores them, texts under a term', async (t) => {
        const store = await fresh(t);
        await store.papers.writeBatch([
          paperRecord('2509.00001', { title: 'Transformers for graphs', abstract: 'A transformer attends.' }),
          paperRecord('2509.00002', { title: 'Transformed signals', abstract: 'Signals transformed twice.' }),
          paperRecord('2509.00003', { title: 'Graph signals', abstract: 'We transform graphs.' }),
        ]);
        const words = store.indexWords;
        const vocabulary = new Map((await words.vocabulary(2)).map((entry) => [entry.term, entry.papers]));
        assert.equal(vocabulary.get('transform'), 3, 'transformers, transformed, transform: one term');
        assert.equal(vocabulary.get('signal'), 2);
        assert.equal(vocabulary.get('graph'), 2);
        assert.equal(vocabulary.has('attend'), false, 'in one paper only');
        assert.equal((await words.vocabulary(1)).find((entry) => entry.term === 'attend')?.papers, 1);
        assert.deepEqual(await words.terms(['transformers', 'Signals', 'transformr', '']), [
          'transform',
          'signal',
          'transformr',
          null,
        ]);
        assert.deepEqual((await words.textsWithTerm('signal', 10)).sort(), [
          'Graph signals We transform graphs.',
          'Transformed signals Signals transformed twice.',
        ]);
        assert.equal((await words.textsWithTerm('transform', 2)).length, 2, 'at most the limit');
        assert.deepEqual(await words.textsWithTerm("it's \\ 'odd & !", 5), [], 'nothing in a term is syntax');
        await store.papers.deletePaper('2509.00003');
        assert.equal(new Map((await words.vocabulary(1)).map((e) => [e.term, e.papers])).get('transform'), 2);
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
          database = await freshDb();
          store = await database.open();
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
          assert.deepEqual(await matches.count(q('heuristics'), 'any', 1), { count: 1, exact: false });
          assert.deepEqual(await matches.count(q('heuristics survey'), 'any', 1), { count: 1, exact: false });
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
          const matching = async (query: string, match: 'all' | 'any' = 'any') =>
            [...(await matches.matching(all, q(query), match))].sort();
          assert.deepEqual(await matching('"policy optimization"'), ['2506.00002'], 'a phrase');
          assert.deepEqual(await matching('heuristics author:"Ada Lovelace"'), ['2503.00001', '2508.00004']);
          assert.deepEqual(await matching('heuristics cat:cs -survey'), ['2503.00001']);
          assert.deepEqual(await matching('heuristic zebrafish', 'all'), []);
          assert.deepEqual(
            await matching('cat:cs'),
            ['2503.00001', '2506.00002', '2507.00003'],
            'filters alone',
          );
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
        // Only its upvotes change: the paper stays found by its words, once.
        await store.papers.writeBatch([
          paperRecord('2508.00004', {
            ...kept,
            abstract: 'Superconducting qubits.',
            title: 'Quantum Annealing',
            version: 4,
            importedUpvotes: 12,
          }),
        ]);
        assert.deepEqual((await ids('superconducting')).sort(), ['2508.00004', '2511.00009']);
        assert.deepEqual(await ids('annealing qubits'), ['2508.00004']);
        await store.papers.compactKeywordIndex();
        assert.deepEqual(await ids('annealing qubits'), ['2508.00004']);
      });
    });
  },
);
