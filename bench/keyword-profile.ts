// node --import tsx bench/keyword-profile.ts [--corpus large] — where keyword search spends its time: for the
// dev-set queries, the whole `keywordSearch` (as search runs it, 200 candidates, its document frequencies already
// cached) against parts run on their own: the document-frequency counts that choose the ranking words (one FTS5
// count per word not seen before), the FTS5 query of the 8 rarest words ranked by bm25 and the same query
// unranked (first 400 matches), and how many papers match it.
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { parseSearchQuery } from '../src/domain/search-query.ts';
import { loadBm25Extension } from '../src/store/sqlite/bm25-extension/index.ts';
import { rankedMatch } from '../src/store/sqlite/fts-expression.ts';
import { openSqliteStore } from '../src/store/sqlite/index.ts';
import { loadDevSet } from './eval-search.ts';
import { FULL_DATABASE } from './lib/full-data.ts';
import { LARGE_DATABASE } from './lib/large-data.ts';

export interface KeywordProfile {
  queries: number;
  /** p50 and p90 of each part, in ms (counts for `matches` and `postings`). */
  parts: Record<
    'whole' | 'frequency' | 'ranked' | 'unranked' | 'matches' | 'postings',
    { p50: number; p90: number }
  >;
  /** Ranked query time per matching paper, µs. */
  perMatchUs: number;
}

export async function profileKeywordSearch(path: string, count: number): Promise<KeywordProfile> {
  const db = new Database(path, { readonly: true });
  loadBm25Extension(db);
  const store = await openSqliteStore(path);
  const papers = db.prepare('SELECT count(*) FROM papers').pluck().get() as number;
  const countMatches = db
    .prepare<[string], number>('SELECT count(*) FROM papers_fts WHERE papers_fts MATCH ?')
    .pluck();
  const ranked = (words: number) =>
    db.prepare(
      `SELECT rowid, bm25_df(papers_fts, 10.0, 1.0, 3.0${', ?'.repeat(words)}) AS rank FROM papers_fts WHERE papers_fts MATCH ? ORDER BY rank LIMIT 400`,
    );
  const unranked = db.prepare('SELECT rowid FROM papers_fts WHERE papers_fts MATCH ? LIMIT 400');
  const time = (run: () => unknown) => {
    const started = performance.now();
    run();
    return performance.now() - started;
  };

  const frequency = new Map<string, number>();
  const rows: Array<Record<string, number>> = [];
  const queries = (await loadDevSet(500)).slice(0, count);
  for (const query of queries) {
    const parsed = parseSearchQuery(query.text);
    // Cold document-frequency counts: the first time each word is seen.
    let frequencyMs = 0;
    for (const word of parsed.words) {
      if (frequency.has(word)) continue;
      frequencyMs += time(() =>
        frequency.set(word, countMatches.get(`"${word.replaceAll('"', '""')}"`) ?? 0),
      );
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
    const match = rankedMatch(
      parsed,
      words.map((word) => ({ word, count: frequency.get(word) ?? null })),
    );
    if (!match) continue;
    const rankedStatement = ranked(match.frequencies.length);
    await store.papers.keywordSearch(parsed, 200); // its own document frequencies cached: timed warm below
    const wholeStarted = performance.now();
    await store.papers.keywordSearch(parsed, 200);
    const whole = performance.now() - wholeStarted;
    rows.push({
      whole,
      frequency: frequencyMs,
      ranked: time(() => rankedStatement.all(...match.frequencies, match.expression)),
      unranked: time(() => unranked.all(match.expression)),
      matches: countMatches.get(match.expression) ?? 0,
      postings: words.reduce((sum, word) => sum + (frequency.get(word) ?? 0), 0),
    });
  }
  await store.close();
  db.close();
  const quantile = (key: string, q: number) => {
    const sorted = rows.map((row) => row[key] ?? 0).sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length * q)] ?? 0;
  };
  const parts = Object.fromEntries(
    ['whole', 'frequency', 'ranked', 'unranked', 'matches', 'postings'].map((key) => [
      key,
      { p50: quantile(key, 0.5), p90: quantile(key, 0.9) },
    ]),
  ) as KeywordProfile['parts'];
  const rankedMs = rows.reduce((sum, row) => sum + (row.ranked ?? 0), 0);
  const matches = rows.reduce((sum, row) => sum + (row.matches ?? 0), 0);
  return { queries: rows.length, parts, perMatchUs: (rankedMs * 1000) / Math.max(matches, 1) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { corpus: { type: 'string', default: 'shared' }, queries: { type: 'string', default: '300' } },
  });
  const path = values.corpus === 'large' ? LARGE_DATABASE : FULL_DATABASE;
  const profile = await profileKeywordSearch(path, Number(values.queries));
  console.log(`${profile.queries} queries (${path})`);
  for (const [key, { p50, p90 }] of Object.entries(profile.parts)) {
    console.log(`  ${key.padEnd(10)} p50 ${p50.toFixed(1)}, p90 ${p90.toFixed(1)}`);
  }
  console.log(`  ranked query: ${profile.perMatchUs.toFixed(2)} µs per matching paper`);
}
