import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { boostFactor, fuseRankings, MAX_BOOST } from '../src/domain/fusion.ts';
import { highlight, snippet } from '../src/domain/highlight.ts';
import type { Paper } from '../src/domain/paper.ts';
import {
  FULL_WEIGHT_QUALITY,
  fuseScores,
  meaningWeightFor,
  NO_WEIGHT_QUALITY,
  qualityShare,
} from '../src/domain/score-fusion.ts';
import { parseSearchQuery } from '../src/domain/search-query.ts';
import type { SemanticSearch } from '../src/search-index/semantic-search.ts';
import { type SearchOptions, searchPapers } from '../src/services/search-papers.ts';
import { SearchResultsCache } from '../src/services/search-results-cache.ts';
import type { SearchSignals } from '../src/store/papers.ts';
import { loadBm25Extension } from '../src/store/sqlite/bm25-extension/index.ts';
import { openSqliteStore } from '../src/store/sqlite/index.ts';
import { KeywordSearch } from '../src/store/sqlite/keyword-search.ts';
import type { Store } from '../src/store/store.ts';
import { author, listedOn, paperRecord, searchCorpus } from './helpers/records.ts';
import { tempDir } from './helpers/temp.ts';

let store: Store;
const path = join(tempDir(), 'search.db');

before(async () => {
  store = await openSqliteStore(path);
  await store.papers.writeBatch(searchCorpus());
});
after(async () => {
  await store?.close();
});

const ids = async (query: string, limit = 10) =>
  (await store.papers.keywordSearch(parseSearchQuery(query), limit)).map((hit) => hit.id);

test('a word in the title ranks above the same word in the abstract; stems match', async () => {
  assert.deepEqual((await ids('heuristics')).slice(0, 2).sort(), ['2503.00001', '2508.00004']);
  assert.equal((await ids('heuristics'))[2], '2506.00002');
  assert.deepEqual(await ids('rewarding'), ['2503.00001']);
});

test('more of the words ranks higher; any word can match', async () => {
  assert.deepEqual((await ids('heuristic reinforcement learning')).slice(0, 2), ['2503.00001', '2506.00002']);
  assert.ok((await ids('heuristic reinforcement learning')).includes('2508.00004'));
});

test('a long query ranks only the papers with a rare word, with the scores ranking them all gives', () => {
  // Thresholds that split every query of two or more words; the rarest word alone makes the candidates.
  const db = new Database(path);
  try {
    const split = new KeywordSearch(db, { exhaustivePostings: 0, candidatePostings: 1 });
    const exhaustive = new KeywordSearch(db);
    for (const text of [
      'quantum heuristic',
      'quantum heuristic reinforcement',
      'quantum diffusion survey',
      'heuristic rewards reinforcement learning images "reinforcement learning"',
      'policy heuristic learning author:"alan turing"',
      'survey heuristic reinforcement -quantum',
    ]) {
      const query = parseSearchQuery(text);
      const all = new Map(exhaustive.search(query, 10).map((hit) => [hit.id, hit.score]));
      const hits = split.search(query, 10);
      assert.ok(hits.length > 0, text);
      for (const hit of hits) {
        const score = all.get(hit.id);
        assert.ok(score !== undefined && Math.abs(hit.score - score) < 1e-9, `${text}: ${hit.id}`);
      }
      assert.deepEqual(
        hits.map((hit) => hit.score),
        hits.map((hit) => hit.score).sort((a, b) => b - a),
      );
    }
    // All three words are in one paper each: quantum (first of the rarest) decides, and its paper has neither
    // of the others, so it comes from the papers with rare words only.
    assert.deepEqual(
      split.search(parseSearchQuery('quantum diffusion survey'), 10).map((hit) => hit.id),
      ['2508.00004'],
    );
    assert.equal(exhaustive.search(parseSearchQuery('quantum diffusion survey'), 10).length, 3);
    // Two words split too (at these thresholds): only the papers with the rarer one are ranked.
    const pair = parseSearchQuery('quantum heuristic');
    assert.ok(exhaustive.search(pair, 10).length > 1);
    const pairHits = split.search(pair, 10);
    assert.ok(pairHits.length > 0 && pairHits.length < exhaustive.search(pair, 10).length);
  } finally {
    db.close();
  }
});

test('bm25_df gives the scores of FTS5 bm25 given the same counts, and counts the phrases it is not given', () => {
  const db = new Database(path);
  try {
    loadBm25Extension(db);
    const count = db
      .prepare<[string], number>('SELECT count(*) FROM papers_fts WHERE papers_fts MATCH ?')
      .pluck();
    const scores = (sql: string, expression: string, ...frequencies: Array<number | null>) =>
      new Map(
        db
          .prepare<unknown[], { rowid: number; rank: number }>(
            `SELECT rowid, ${sql} AS rank FROM papers_fts WHERE papers_fts MATCH ? ORDER BY rowid`,
          )
          .all(...frequencies, expression)
          .map((row) => [row.rowid, row.rank]),
      );
    const builtin = (expression: string) => scores('bm25(papers_fts, 10.0, 1.0, 3.0)', expression);
    const ours = (expression: string, frequencies: Array<number | null>) =>
      scores(
        `bm25_df(papers_fts, 10.0, 1.0, 3.0${', ?'.repeat(frequencies.length)})`,
        expression,
        ...frequencies,
      );
    const assertSame = (actual: Map<number, number>, expected: Map<number, number>, label: string) => {
      assert.deepEqual([...actual.keys()], [...expected.keys()], label);
      for (const [rowid, rank] of expected) {
        assert.ok(Math.abs((actual.get(rowid) ?? 0) - rank) < 1e-9, `${label}: row ${rowid}`);
      }
    };
    const words = ['heurist', 'reinforc', 'learn', 'quantum'];
    const any = `(${words.map((word) => `"${word}"`).join(' OR ')})`;
    const counts = words.map((word) => count.get(`"${word}"`) ?? 0);
    assert.ok(counts.every((n) => n > 0));
    assertSame(ours(any, counts), builtin(any), 'given counts');
    assertSame(
      ours(
        any,
        words.map(() => null),
      ),
      builtin(any),
      'counted here',
    );
    for (const required of ['authors_text : "yann lecun"', '"policy optimization"']) {
      const expression = `${required} AND ${any}`;
      assert.ok(builtin(expression).size > 0, required);
      assertSame(ours(expression, [null, ...counts]), builtin(expression), required);
    }
    // Candidates limited to papers with the first word; the word repeated there must not rank twice.
    const candidates = ours(`("heurist") AND ${any}`, [-1, ...counts]);
    const expected = new Map([...builtin(any)].filter(([rowid]) => candidates.has(rowid)));
    assert.ok(candidates.size > 0 && candidates.size < builtin(any).size);
    assertSame(candidates, expected, 'candidates');
    assert.throws(
      () => ours(any, [1]),
      /bm25_df: expected 3 column weights and 4 phrase frequencies, got 4 values/,
    );
  } finally {
    db.close();
  }
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
  assert.deepEqual(await ids('learning cat:cs.CV'), ['2507.00003']);
  assert.deepEqual((await ids('cat:cs')).sort(), ['2503.00001', '2506.00002', '2507.00003']);
  assert.deepEqual(await ids('cat:stat.ml'), ['2506.00002']);
  assert.deepEqual(await ids('heuristic after:2025-06-01 before:2025-06-30'), ['2506.00002']);
  assert.deepEqual(await ids('after:2025-07'), ['2508.00004', '2507.00003'], 'newest first without text');
});

test('the index follows updates, author changes and hiding in the same transaction', async () => {
  const kept = { abstract: 'Heuristic search on quantum hardware.', categories: ['quant-ph'] };
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
  await store.papers.setPaperHidden('2508.00004', true);
  assert.deepEqual(await ids('annealing'), []);
  await store.papers.setPaperHidden('2508.00004', false);
  assert.deepEqual(await ids('annealing'), ['2508.00004']);
});

test('semantic hits are filtered by the same filters', async () => {
  const query = parseSearchQuery('anything cat:cs -survey');
  const allowed = await store.papers.filterSearchHits(
    ['2503.00001', '2506.00002', '2508.00004', 'nope'],
    query,
  );
  assert.deepEqual([...allowed].sort(), ['2503.00001']);
});

test('the search service pages, sorts and says why each hit was found', async () => {
  const first = await searchPapers({ store }, 'heuristic', { limit: 2, offset: 0 });
  const second = await searchPapers({ store }, 'heuristic', { limit: 2, offset: 2 });
  assert.equal(first.total, 3);
  assert.equal(first.hits.length + second.hits.length, 3);
  assert.ok(first.hits.every((hit) => hit.keyword && !hit.semantic));
  const byUpvotes = await searchPapers({ store }, 'heuristic', { limit: 10, offset: 0, sort: 'upvotes' });
  assert.equal(byUpvotes.hits[0]?.paper.id, '2503.00001');
  const newest = await searchPapers({ store }, 'heuristic', { limit: 10, offset: 0, sort: 'newest' });
  assert.equal(newest.hits[0]?.paper.id, '2508.00004');
  const byId = await searchPapers({ store }, 'https://arxiv.org/abs/2506.00002v3', { limit: 10, offset: 0 });
  assert.deepEqual(
    byId.hits.map((hit) => hit.paper.id),
    ['2506.00002'],
  );
});

test('kept pages of results answer the same search again until anything is written', async () => {
  const cache = new SearchResultsCache(store, 1 << 20);
  let rankings = 0;
  const counting: Store = {
    ...store,
    papers: Object.assign(Object.create(store.papers), {
      keywordSearch: (...args: Parameters<Store['papers']['keywordSearch']>) => {
        rankings++;
        return store.papers.keywordSearch(...args);
      },
    }),
  };
  const search = (offset: number, sort?: SearchOptions['sort']) =>
    searchPapers({ store: counting, cache }, 'heuristic', { limit: 2, offset, ...(sort && { sort }) });
  const first = await search(0);
  const again = await search(0);
  assert.equal(rankings, 1, 'the same page again is not searched again');
  assert.deepEqual(again, first);
  await search(2);
  await search(0, 'upvotes');
  assert.equal(rankings, 2, 'another page or order is another search (upvotes order ranks nothing)');

  await store.papers.writeBatch([
    listedOn('2025-09-01', '2509.00009', { title: 'Heuristic heuristics for heuristic search' }),
  ]);
  try {
    const after = await search(0);
    assert.equal(rankings, 3, 'a write makes the kept pages stale');
    assert.equal(after.total, first.total + 1);
    const listed = [...after.hits, ...(await search(2)).hits].map((hit) => hit.paper.id);
    assert.ok(listed.includes('2509.00009'), 'the new paper is found');
    await store.papers.setPaperHidden('2509.00009', true);
    const hidden = await search(0);
    assert.equal(rankings, 5);
    assert.ok(hidden.hits.every((hit) => hit.paper.id !== '2509.00009'));
    assert.deepEqual(
      hidden.hits.map((hit) => hit.paper.id),
      first.hits.map((hit) => hit.paper.id),
    );
  } finally {
    await store.papers.deletePaper('2509.00009');
  }
});

test('semantic hits without constraints: only existing, visible papers pass', async () => {
  await store.papers.setPaperHidden('2506.00002', true);
  try {
    const allowed = await store.papers.filterSearchHits(
      ['2503.00001', '2506.00002', 'nope'],
      parseSearchQuery('anything'),
    );
    assert.deepEqual([...allowed], ['2503.00001']);
  } finally {
    await store.papers.setPaperHidden('2506.00002', false);
  }
});

test('boosted relevance reads signals for the top of the list only, and pages as if it had read them all', async () => {
  // 300 keyword hits (visible, as the store returns them) whose boosts reorder them; every page must match
  // sorting all of them.
  const ids = Array.from({ length: 300 }, (_, index) => `p${String(index).padStart(3, '0')}`);
  const signal = (id: string): SearchSignals => {
    const n = Number(id.slice(1));
    return {
      upvotes: n % 4 === 0 ? 10_000 : 0,
      day: n % 5 === 0 ? '2025-09-30' : '2020-01-01',
      hidden: false,
    };
  };
  const asked: string[] = [];
  // Scores falling fast let the first page read few signals; flat ones let boosts reorder across batches.
  let shape: (index: number) => number = (index) => 300 / (index + 1);
  const fake = {
    papers: {
      keywordSearch: async () => ids.map((id, index) => ({ id, score: shape(index) })),
      filterSearchHits: async (list: string[]) => new Set(list),
      searchSignals: async (list: string[]) => {
        asked.push(...list);
        return new Map(list.map((id) => [id, signal(id)]));
      },
      getPapers: async (list: string[]) => list.map((id) => ({ id, hidden: false }) as Paper),
    },
    searchMatches: {
      count: async () => ({ count: ids.length, exact: true }),
      matching: async () => new Set(),
      sorted: async () => [],
    },
  } as unknown as Store;
  const now = new Date('2025-10-01T00:00:00Z');
  for (const [steep, scores] of [
    [true, (index: number) => 300 / (index + 1)],
    [false, (index: number) => 300 - index],
  ] as const) {
    shape = scores;
    const expected = fuseScores(
      ids.map((id, index) => ({ id, score: scores(index) })),
      [],
      0,
    )
      .map((hit) => {
        const { upvotes, day } = signal(hit.id);
        const ageDays = (now.getTime() - Date.parse(`${day}T12:00:00Z`)) / 86_400_000;
        return { id: hit.id, score: hit.score * boostFactor({ upvotes, ageDays }) };
      })
      .sort((a, b) => b.score - a.score)
      .map((hit) => hit.id);
    for (const offset of [0, 20, 140]) {
      asked.length = 0;
      const page = await searchPapers({ store: fake }, 'heuristic search', { limit: 20, offset, now });
      assert.deepEqual(
        page.hits.map((hit) => hit.paper.id),
        expected.slice(offset, offset + 20),
      );
      assert.equal(page.total, 300);
      if (offset === 0 && steep) assert.ok(asked.length < 100, `read ${asked.length} signals for page 1`);
    }
  }
  assert.ok(MAX_BOOST >= boostFactor({ upvotes: 1e9, ageDays: 0 }));
});

test('score fusion: normalized BM25 and cosine added with the weight of meaning, which follows the query', () => {
  const words = [
    { id: 'a', score: 10 },
    { id: 'b', score: 9 },
    { id: 'c', score: 2 },
  ];
  const meaning = [
    { id: 'c', score: 0.9 },
    { id: 'd', score: 0.5 },
    { id: 'b', score: 0.1 },
  ];
  // BM25 / 10; cosine from 0.1 (→ 0) to 0.9 (→ 1).
  const fused = fuseScores(words, meaning, 0.5);
  assert.deepEqual(
    fused.map((hit) => [hit.id, Number(hit.score.toFixed(3)), hit.foundBy]),
    [
      ['a', 1, [0]],
      ['b', 0.9, [0, 1]],
      ['c', 0.7, [0, 1]],
      ['d', 0.25, [1]],
    ],
  );
  // A keyword #1 that meaning ranks low keeps its lead over a keyword #2 meaning ranks high, unlike rank fusion.
  assert.equal(fuseScores(words, meaning, 0)[0]?.id, 'a');
  assert.deepEqual(
    fuseScores([], meaning, 1).map((hit) => hit.id),
    ['c', 'd', 'b'],
  );
  const fusion = { meaningWeight: 0.5 };
  const sentence = 'vitamin d deficiency is linked to a higher risk of fractures'.split(' ');
  assert.equal(meaningWeightFor(sentence, fusion), 0.5, 'a sentence: the full weight');
  assert.ok(Math.abs(meaningWeightFor(['transformers'], fusion) - 0.1) < 1e-9, 'one word: a fifth');
  assert.equal(meaningWeightFor(['gpt4'], fusion), 0, 'an identifier: words only');
  assert.ok(
    meaningWeightFor(['llama3', 'quantization'], fusion) < meaningWeightFor(['fast', 'quantization'], fusion),
  );
});

test('score fusion: a model measured weaker gets less of meaning’s weight, an unmeasured one all of it', () => {
  const fusion = { meaningWeight: 0.5 };
  const sentence = 'vitamin d deficiency is linked to a higher risk of fractures'.split(' ');
  assert.equal(meaningWeightFor(sentence, fusion, undefined), 0.5, 'unmeasured (a service): the full weight');
  assert.equal(meaningWeightFor(sentence, fusion, FULL_WEIGHT_QUALITY), 0.5);
  assert.equal(meaningWeightFor(sentence, fusion, 1), 0.5, 'never more than the full weight');
  const halfway = (FULL_WEIGHT_QUALITY + NO_WEIGHT_QUALITY) / 2;
  assert.ok(Math.abs(meaningWeightFor(sentence, fusion, halfway) - 0.25) < 1e-9, 'halfway: half the weight');
  assert.equal(meaningWeightFor(sentence, fusion, NO_WEIGHT_QUALITY), 0, 'a model this weak: words alone');
  assert.equal(meaningWeightFor(sentence, fusion, 0), 0);
  assert.equal(qualityShare(Number.NaN), 1);
  // With no weight for meaning, the fused order is the keyword order, however meaning ranks.
  const words = [
    { id: 'a', score: 3 },
    { id: 'b', score: 2 },
  ];
  const meaning = [
    { id: 'b', score: 0.9 },
    { id: 'c', score: 0.8 },
    { id: 'a', score: 0.1 },
  ];
  const weight = meaningWeightFor(sentence, fusion, 0);
  assert.deepEqual(
    fuseScores(words, meaning, weight)
      .slice(0, 2)
      .map((hit) => hit.id),
    ['a', 'b'],
  );
});

test('reciprocal rank fusion rewards agreement and keeps a stable order', () => {
  const fused = fuseRankings([
    ['a', 'b', 'c'],
    ['c', 'a', 'd'],
  ]);
  assert.deepEqual(
    fused.map((hit) => hit.id),
    ['a', 'c', 'b', 'd'],
  );
  assert.deepEqual(fused[0]?.foundBy, [0, 1]);
  assert.deepEqual(fused[2]?.foundBy, [0]);
  const weighted = fuseRankings([['a'], ['b']], { k: 60, weights: [1, 2] });
  assert.equal(weighted[0]?.id, 'b');
});

test('matches are marked by word and stem, inside a snippet around the densest matches', () => {
  assert.deepEqual(
    highlight('Learned heuristics, learning fast', ['learning', 'heuristic'])
      .filter((s) => s.marked)
      .map((s) => s.text),
    ['Learned', 'heuristics', 'learning'],
  );
  const long = `${'filler '.repeat(100)}the heuristic reward ${'tail '.repeat(100)}`;
  const cut = snippet(long, ['heuristic'], 120);
  assert.equal(cut[0]?.text, '… ');
  assert.ok(cut.some((segment) => segment.marked && segment.text === 'heuristic'));
  assert.ok(cut.map((segment) => segment.text).join('').length < 140);
});

test('only whole words are marked, in any script, and words with punctuation mark nothing', () => {
  const marked = (text: string, words: string[]) =>
    highlight(text, words)
      .filter((s) => s.marked)
      .map((s) => s.text);
  // Not inside a word, nor a word longer than the stem and five more characters.
  assert.deepEqual(marked('unlearned relearning learnability learning', ['learning']), ['learning']);
  assert.deepEqual(marked('Über über-fast überfast', ['über']), ['Über', 'über', 'überfast']);
  // Letters outside the Basic Multilingual Plane are letters: no match starts after one.
  assert.deepEqual(marked('𝐀learning learning', ['learning']), ['learning']);
  // "İ" lowercases to two characters: the text is still marked where it matches.
  assert.deepEqual(marked('İstanbul models, modeling', ['model']), ['models', 'modeling']);
  assert.deepEqual(marked('fine-tuning fine tuning', ['fine-tuning']), []);
  assert.deepEqual(
    highlight('a model', ['model']).map((s) => s.text),
    ['a ', 'model'],
    'the text around the marks is kept whole',
  );
});

describe('exact matches where a candidate pool of 200 would be wrong', () => {
  let pool: Store;
  const strong = (i: number) => `2401.${String(i).padStart(5, '0')}`;
  const weak = (i: number) => `2501.${String(i).padStart(5, '0')}`;
  const filler = Array.from({ length: 60 }, (_, i) => `filler${i}`).join(' ');
  // A fake semantic side: the weakest keyword match and a paper without the word are nearest in meaning.
  const semantic: SemanticSearch = {
    backend: 'in-process',
    search: async () => [
      { id: weak(0), score: 0.9 },
      { id: '2503.00001', score: 0.8 },
    ],
    similar: async () => [],
  };
  before(async () => {
    pool = await openSqliteStore(join(tempDir(), 'pool.db'));
    // 200 papers with "zebra" in the title outrank, by words, 60 that have it once in a long abstract; those 60
    // are the newest and the most upvoted.
    await pool.papers.writeBatch([
      ...Array.from({ length: 200 }, (_, i) =>
        listedOn(`2024-01-${String((i % 28) + 1).padStart(2, '0')}`, strong(i), {
          title: `Zebra stripes ${i}`,
          abstract: 'Zebra zebra stripes.',
          importedUpvotes: i % 50,
        }),
      ),
      ...Array.from({ length: 60 }, (_, i) =>
        listedOn(
          `2025-${String(Math.floor(i / 28) + 2).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
          weak(i),
          {
            title: `Savanna survey ${i}`,
            abstract: `${filler} zebra ${filler}`,
            importedUpvotes: 500 + i,
          },
        ),
      ),
      paperRecord('2503.00001', { title: 'Okapi habitats', abstract: 'Okapi crossing rivers.' }),
      paperRecord('2503.00002', { title: 'Okapi diet', abstract: 'Zebra crossing at the okapi reserve.' }),
    ]);
  });
  after(async () => {
    await pool?.close();
  });
  const search = (query: string, options: Partial<SearchOptions> = {}) =>
    searchPapers({ store: pool, semantic }, query, { limit: 10, offset: 0, boost: false, ...options });

  test('the total counts every match, by words and by meaning', async () => {
    assert.equal((await search('zebra', { mode: 'keyword' })).total, 261);
    const hybrid = await search('zebra');
    assert.equal(hybrid.total, 262, '261 by words, one more by meaning');
    assert.equal(hybrid.totalExact, true);
    assert.equal((await search('zebra', { mode: 'semantic' })).total, 2);
    assert.equal(
      (await search('zebra crossing', { mode: 'keyword' })).total,
      1,
      'a short query: all its words',
    );
    assert.equal(
      (await search('zebra hippopotamus', { mode: 'keyword' })).total,
      261,
      'no paper has all the words: any of them',
    );
    assert.equal((await pool.searchMatches.count(parseSearchQuery('zebra'), 'any', 100)).exact, false);
  });

  test('newest and most upvoted order every match, not the best 200 by words', async () => {
    const byUpvotes = await search('zebra', { sort: 'upvotes', limit: 3 });
    assert.deepEqual(
      byUpvotes.hits.map((hit) => hit.paper.id),
      [weak(59), weak(58), weak(57)],
    );
    const newest = await search('zebra', { sort: 'newest', limit: 2 });
    assert.deepEqual(
      newest.hits.map((hit) => hit.paper.id),
      [weak(59), weak(58)],
    );
    // Paging through the whole order gives every match once, the one found by meaning only among them.
    const seen: string[] = [];
    for (let offset = 0; offset < 262; offset += 50)
      seen.push(
        ...(await search('zebra', { sort: 'upvotes', limit: 50, offset })).hits.map((hit) => hit.paper.id),
      );
    assert.equal(new Set(seen).size, 262);
    assert.ok(seen.includes('2503.00001'));
  });

  test('relevance pages past the first 200 matches by words', async () => {
    const seen = new Set<string>();
    for (let offset = 0; offset < 280; offset += 40)
      for (const hit of (await search('zebra', { limit: 40, offset })).hits) seen.add(hit.paper.id);
    assert.equal(seen.size, 262);
  });

  test('each hit says truly whether words, meaning or both found it', async () => {
    const { hits } = await search('zebra', { limit: 300 });
    const label = (id: string) => {
      const hit = hits.find((found) => found.paper.id === id);
      return hit && { keyword: hit.keyword, semantic: hit.semantic };
    };
    assert.deepEqual(label(weak(0)), { keyword: true, semantic: true }, 'below the best 200 by words');
    assert.deepEqual(label('2503.00001'), { keyword: false, semantic: true });
    assert.deepEqual(label(strong(0)), { keyword: true, semantic: false });
    const semanticOnly = await search('zebra', { mode: 'semantic' });
    assert.deepEqual(
      semanticOnly.hits.map((hit) => [hit.paper.id, hit.keyword, hit.semantic]),
      [
        [weak(0), true, true],
        ['2503.00001', false, true],
      ],
    );
  });
});

test('a common word’s count of papers outlives writes for a few minutes; a rare one is made again at once', async () => {
  const countsPath = join(tempDir(), 'counts.db');
  const site = await openSqliteStore(countsPath);
  const db = new Database(countsPath);
  try {
    await site.papers.writeBatch(searchCorpus());
    let clock = 0;
    const keyword = new KeywordSearch(db, { countsKeptFrom: 3, now: () => clock });
    assert.equal(keyword.someWordInAtLeast(['heuristic'], 4), false, 'in 3 papers');
    assert.equal(keyword.someWordInAtLeast(['zebrafish'], 1), false, 'in none');
    await site.papers.writeBatch([
      paperRecord('2509.00005', { title: 'Heuristic zebrafish', abstract: 'Zebrafish heuristics.' }),
    ]);
    assert.equal(
      keyword.someWordInAtLeast(['zebrafish'], 1),
      true,
      'a rare word is counted again after a write',
    );
    assert.equal(keyword.someWordInAtLeast(['heuristic'], 4), false, 'a common word keeps its count');
    clock += 5 * 60_000 + 1;
    assert.equal(keyword.someWordInAtLeast(['heuristic'], 4), true, 'until the count is five minutes old');
  } finally {
    db.close();
    await site.close();
  }
});

test('a word counted up to a small bound is counted again before it ranks', async () => {
  const rankingPath = join(tempDir(), 'ranking.db');
  const site = await openSqliteStore(rankingPath);
  const db = new Database(rankingPath);
  try {
    // Enough papers for the common-word rule to apply (it needs 1,000): beta in 100, gamma in 300, alpha in a third.
    await site.papers.writeBatch(
      Array.from({ length: 1_100 }, (_, index) =>
        paperRecord(`2501.${String(index).padStart(5, '0')}`, {
          abstract: [index % 3 === 0 ? 'alpha' : '', index < 100 ? 'beta' : '', index < 300 ? 'gamma' : '']
            .join(' ')
            .trim(),
        }),
      ),
    );
    const query = parseSearchQuery('alpha beta gamma');
    const fresh = new KeywordSearch(db).search(query, 20);
    const primed = new KeywordSearch(db);
    // A count asks whether beta is in at least 5 papers: counting stops at 5.
    assert.equal(primed.someWordInAtLeast(['beta'], 5), true);
    assert.ok(fresh.length > 0);
    assert.deepEqual(primed.search(query, 20), fresh, 'beta ranks by its 100 papers, not by the 5 counted');
  } finally {
    db.close();
    await site.close();
  }
});
