// node --import tsx bench/keyword-profile.ts [--corpus large] — where keyword search spends its time: for the
// dev-set queries, the whole `keywordSearch` (as search runs it, 200 candidates) against its parts run on their
// own: the document-frequency counts that choose the ranking words (one FTS5 count per new word, then cached), the
// FTS5 query ranked by bm25, the same query unranked (first 400 matches), and how many papers match.
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { parseSearchQuery } from '../src/domain/search-query.ts';
import { matchExpression } from '../src/store/sqlite/fts-expression.ts';
import { openSqliteStore } from '../src/store/sqlite/index.ts';
import { loadDevSet } from './eval-search.ts';
import { FULL_DATABASE } from './full-data.ts';
import { LARGE_DATABASE } from './large-data.ts';

const { values } = parseArgs({
  options: { corpus: { type: 'string', default: 'shared' }, queries: { type: 'string', default: '300' } },
});
const path = values.corpus === 'large' ? LARGE_DATABASE : FULL_DATABASE;
const db = new Database(path, { readonly: true });
const store = await openSqliteStore(path);
const papers = db.prepare('SELECT count(*) FROM papers').pluck().get() as number;
const countMatches = db
  .prepare<[string], number>('SELECT count(*) FROM papers_fts WHERE papers_fts MATCH ?')
  .pluck();
const ranked = db.prepare(
  'SELECT rowid, bm25(papers_fts, 10.0, 1.0, 3.0) AS rank FROM papers_fts WHERE papers_fts MATCH ? ORDER BY rank LIMIT 400',
);
const unranked = db.prepare('SELECT rowid FROM papers_fts WHERE papers_fts MATCH ? LIMIT 400');
const time = (run: () => unknown) => {
  const started = performance.now();
  run();
  return performance.now() - started;
};

const frequency = new Map<string, number>();
const rows: Array<Record<string, number>> = [];
const queries = (await loadDevSet(500)).slice(0, Number(values.queries));
for (const query of queries) {
  const parsed = parseSearchQuery(query.text);
  // Cold document-frequency counts: the first time each word is seen.
  let frequencyMs = 0;
  for (const word of parsed.words) {
    if (frequency.has(word)) continue;
    frequencyMs += time(() => frequency.set(word, countMatches.get(`"${word.replaceAll('"', '""')}"`) ?? 0));
  }
  // The ranking words as keyword-search.ts picks them: rarest first, none in more than 30% of papers, at most 8.
  const byRarity = parsed.words
    .map((word) => ({ word, count: frequency.get(word) ?? 0 }))
    .filter((entry) => entry.count > 0)
    .sort((a, b) => a.count - b.count);
  const words = byRarity
    .filter((entry, index) => index === 0 || entry.count / papers <= 0.3)
    .slice(0, 8)
    .map((entry) => entry.word);
  const match = matchExpression(parsed, words);
  if (!match) continue;
  rows.push({
    whole: time(() => store.keywordSearch(parsed, 200)),
    frequencyMs,
    ranked: time(() => ranked.all(match)),
    unranked: time(() => unranked.all(match)),
    matches: countMatches.get(match) ?? 0,
    postings: words.reduce((sum, word) => sum + (frequency.get(word) ?? 0), 0),
  });
}
await store.close();

const median = (key: string) => {
  const sorted = rows.map((row) => row[key] ?? 0).sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};
const p90 = (key: string) => {
  const sorted = rows.map((row) => row[key] ?? 0).sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length * 0.9)] ?? 0;
};
console.log(`${rows.length} queries on ${papers.toLocaleString('en-US')} papers (${path})`);
for (const key of ['whole', 'frequencyMs', 'ranked', 'unranked']) {
  console.log(`  ${key.padEnd(12)} p50 ${median(key).toFixed(1)} ms, p90 ${p90(key).toFixed(1)} ms`);
}
console.log(`  matching papers p50 ${median('matches')}, p90 ${p90('matches')}`);
console.log(`  postings of the ranking words p50 ${median('postings')}, p90 ${p90('postings')}`);
const perMatch =
  rows.reduce((sum, row) => sum + (row.ranked ?? 0), 0) /
  rows.reduce((sum, row) => sum + (row.matches ?? 0), 0);
console.log(`  ranked query: ${(perMatch * 1000).toFixed(2)} µs per matching paper on average`);
