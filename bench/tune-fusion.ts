// npm run tune:fusion — picks the reciprocal-rank-fusion constant and the semantic list's weight on the search
// dev set (see eval-search.ts): each query's keyword and semantic lists are computed once, then fused with every
// candidate setting. Prints MRR@10 and recall@10 per setting, best first.
import { fuseRankings } from '../src/domain/fusion.ts';
import { parseSearchQuery, queryText } from '../src/domain/search-query.ts';
import { openSqliteStore } from '../src/store/sqlite/index.ts';
import { loadDevSet } from './eval-search.ts';
import { ensureFullDatabase, FULL_DATABASE } from './lib/full-data.ts';
import { openSemanticForBench } from './lib/semantic-for-bench.ts';
import { tuneScifactFeedback } from './tune-feedback-scifact.ts';
import { tuneScifactFusion } from './tune-fusion-scifact.ts';

if (process.argv.includes('scifact-dev') && process.argv.includes('--feedback')) {
  // Which experiments: the words after --feedback, or all of them.
  const named = process.argv
    .slice(process.argv.indexOf('--feedback') + 1)
    .filter((arg) => !arg.startsWith('-'));
  await tuneScifactFeedback(named.length > 0 ? named : ['rocchio', 'centroid', 'smooth', 'rm3']);
  process.exit(0);
}
if (process.argv.includes('scifact-dev')) {
  await tuneScifactFusion();
  process.exit(0);
}
const log = (line: string) => console.log(`[tune:fusion] ${line}`);
await ensureFullDatabase(log);
const store = await openSqliteStore(FULL_DATABASE);
const semantic = await openSemanticForBench(store, log);
const queries = await loadDevSet(500);
const lists = [];
for (const devQuery of queries) {
  const query = parseSearchQuery(devQuery.text);
  const keyword = (await store.papers.keywordSearch(query, 200)).map((hit) => hit.id);
  const semanticIds = (await semantic.search(queryText(query), 200)).map((hit) => hit.id);
  lists.push({ target: devQuery.target, keyword, semantic: semanticIds });
}
const results = [];
for (const k of [5, 10, 20, 60]) {
  for (const weight of [0, 0.1, 0.2, 0.3, 0.5, 0.75, 1]) {
    let reciprocal = 0;
    let at10 = 0;
    for (const entry of lists) {
      const fused = fuseRankings([entry.keyword, entry.semantic], { k, weights: [1, weight] });
      const rank = fused.findIndex((hit) => hit.id === entry.target) + 1;
      if (rank > 0 && rank <= 10) {
        reciprocal += 1 / rank;
        at10++;
      }
    }
    results.push({ k, weight, mrr: reciprocal / lists.length, recall: at10 / lists.length });
  }
}
results.sort((a, b) => b.mrr - a.mrr || b.recall - a.recall);
for (const result of results.slice(0, 12)) {
  log(
    `k=${result.k} semantic weight=${result.weight}: MRR@10 ${result.mrr.toFixed(4)}, recall@10 ${result.recall.toFixed(4)}`,
  );
}
await store.close();
