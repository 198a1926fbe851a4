// npm run tune:fusion -- --set scifact-dev — the weight of meaning in score fusion, chosen on the SciFact dev claims:
// each claim's keyword and semantic lists (with scores) are computed once per collection, then fused with every
// candidate weight. Prints nDCG@10 per weight for the corpus alone and mixed with the arXiv papers, and the
// reciprocal-rank fusion the site used before for comparison.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fuseRankings } from '../src/domain/fusion.ts';
import { fuseScores, meaningWeightFor, type ScoredHit } from '../src/domain/score-fusion.ts';
import { parseSearchQuery, queryText, type SearchQuery } from '../src/domain/search-query.ts';
import { withWordsRequired, wordMatchOf } from '../src/domain/word-matching.ts';
import { openSqliteStore } from '../src/store/sqlite/index.ts';
import { ROOT } from './lib/full-data.ts';
import { plainQuery } from './lib/plain-query.ts';
import { type Judged, ndcg, scifactCorpus, scifactQueries } from './lib/scifact.ts';
import { openSemanticForBench } from './lib/semantic-for-bench.ts';

interface ListEntry {
  judged: Judged;
  query: SearchQuery;
  words: ScoredHit[];
  meaning: ScoredHit[];
}

const WEIGHTS = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1, 1.5, 2];
const log = (line: string) => console.log(`[tune:fusion scifact-dev] ${line}`);

export async function tuneScifactFusion(): Promise<void> {
  const corpus = scifactCorpus();
  const queries = scifactQueries(corpus.ids);
  for (const name of ['eval-scifact.db', 'eval-scifact-mixed.db']) {
    const path = join(ROOT, 'data', name);
    if (!existsSync(path)) {
      log(`${path} is missing: run npm run eval:search -- --set scifact-dev first`);
      continue;
    }
    const store = await openSqliteStore(path);
    try {
      const semantic = await openSemanticForBench(store, log);
      const lists: ListEntry[] = [];
      for (const judged of queries) {
        const query = parseSearchQuery(plainQuery(judged.text));
        const all =
          wordMatchOf(query) === 'all' && (await store.searchMatches.count(query, 'all', 1)).count > 0;
        const words = await store.papers.keywordSearch(all ? withWordsRequired(query) : query, 200);
        const meaning = await semantic.search(queryText(query), 200);
        lists.push({ judged, query, words, meaning });
      }
      // The mean over all claims, and over the even and odd halves (a weight that only one half likes is noise).
      const mean = (score: (entry: ListEntry) => string[]) => {
        const gains = lists.map((entry) => ndcg(score(entry), entry.judged.relevant, 10));
        const average = (parity: number | null) => {
          const chosen = gains.filter((_, i) => parity === null || i % 2 === parity);
          return (chosen.reduce((sum, gain) => sum + gain, 0) / chosen.length).toFixed(3);
        };
        return `${average(null)} (${average(0)} / ${average(1)})`;
      };
      log(`${name}: model quality ${semantic.quality?.toFixed(3) ?? 'unmeasured'}`);
      log(
        `${name}: words ${mean((e) => e.words.map((h) => h.id))}, meaning ${mean((e) => e.meaning.map((h) => h.id))}`,
      );
      log(
        `${name}: reciprocal rank k=5 w=0.3 ${mean((e) => fuseRankings([e.words.map((h) => h.id), e.meaning.map((h) => h.id)], { k: 5, weights: [1, 0.3] }).map((h) => h.id))}`,
      );
      for (const weight of WEIGHTS) {
        const flat = mean((e) => fuseScores(e.words, e.meaning, weight).map((h) => h.id));
        // The site's rule at full quality: the weight as given for a sentence, less for shorter queries.
        const adaptive = mean((e) =>
          fuseScores(e.words, e.meaning, meaningWeightFor(e.query.words, { meaningWeight: weight })).map(
            (h) => h.id,
          ),
        );
        log(`${name}: meaning weight ${weight}: flat ${flat}, by query length ${adaptive}`);
      }
    } finally {
      await store.close();
    }
  }
}
