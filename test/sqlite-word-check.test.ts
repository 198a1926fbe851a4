// Checking given papers for a query's words on SQLite: looked up among few matches, or through a scratch index of
// just those papers when the words match many; both must agree with the keyword index.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { parseSearchQuery } from '../src/domain/search-query.ts';
import type { WordMatch } from '../src/domain/word-matching.ts';
import { openSqliteStore } from '../src/store/sqlite/index.ts';
import { KeywordSearch } from '../src/store/sqlite/keyword-search.ts';
import { MatchQueries } from '../src/store/sqlite/search-matches.ts';
import { author, listedOn, searchCorpus } from './helpers/records.ts';
import { tempDir } from './helpers/temp.ts';

test('papers are checked for the words alike among few matches and through a scratch index', async () => {
  const path = join(tempDir(), 'site.db');
  const store = await openSqliteStore(path);
  await store.papers.writeBatch([
    ...searchCorpus(),
    listedOn('2025-09-09', '2509.00009', {
      title: 'Épreuves de café',
      abstract: 'Naïve coöperation among heuristic agents.',
      authors: [author('Zoë Åström')],
    }),
  ]);
  await store.close();
  const db = new Database(path, { readonly: true });
  const keyword = new KeywordSearch(db);
  const lookedUp = new MatchQueries(db, keyword);
  const indexed = new MatchQueries(db, keyword, 0);
  const ids = ['2503.00001', '2506.00002', '2507.00003', '2508.00004', '2509.00005', '2509.00009', 'nope'];
  const cases: Array<[string, WordMatch, string[]]> = [
    ['heuristic reinforcement', 'all', ['2503.00001', '2506.00002']],
    ['heuristics', 'any', ['2503.00001', '2506.00002', '2508.00004', '2509.00009']],
    ['"policy optimization"', 'any', ['2506.00002']],
    ['heuristics author:"Ada Lovelace"', 'any', ['2503.00001', '2508.00004']],
    ['heuristics cat:cs -survey', 'any', ['2503.00001', '2509.00009']],
    ['cafe naive cooperation', 'any', ['2509.00009']],
    ['author:"zoe astrom"', 'any', ['2509.00009']],
    ['heuristic zebrafish', 'all', []],
  ];
  try {
    for (const [query, match, expected] of cases) {
      for (const queries of [lookedUp, indexed])
        assert.deepEqual(queries.matching(ids, parseSearchQuery(query), match).sort(), expected, query);
    }
  } finally {
    db.close();
  }
});
