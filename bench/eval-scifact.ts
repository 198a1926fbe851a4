// npm run eval:search -- --set scifact-dev — nDCG@10 and recall@100 of keyword, semantic and hybrid search on the
// SciFact dev claims, among the SciFact corpus alone and mixed with the 74,728 arXiv papers of the shared data.
// Each collection is a SQLite file under data/, imported through the real CLI and given its own trained model.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { SemanticSearch } from '../src/search-index/semantic-search.ts';
import { type SearchOptions, searchPapers } from '../src/services/search-papers.ts';
import { openSqliteStore } from '../src/store/sqlite/index.ts';
import type { Store } from '../src/store/store.ts';
import { writeDocsSection } from './lib/docs-section.ts';
import { ROOT, runCli, SHARED_DATA } from './lib/full-data.ts';
import { plainQuery } from './lib/plain-query.ts';
import { type Judged, ndcg, recall, SCIFACT_DIR, scifactCorpus, scifactQueries } from './lib/scifact.ts';
import { openSemanticForBench } from './lib/semantic-for-bench.ts';

const ARXIV_FILE = join(SHARED_DATA, 'arxiv-listings-2025-2026.jsonl.gz');
const MODES = ['keyword', 'semantic', 'hybrid'] as const;

export interface ScifactQuality {
  ndcg10: number;
  recall100: number;
}

function countPapers(path: string): number | null {
  if (!existsSync(path)) return null;
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare('SELECT count(*) FROM papers').pluck().get() as number;
  } catch {
    return null;
  } finally {
    db.close();
  }
}

/** A collection's database, imported through the CLI unless it already holds `expected` papers. */
async function ensureCollection(
  path: string,
  files: string[],
  expected: number,
  log: (line: string) => void,
): Promise<void> {
  if (countPapers(path) === expected) return;
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  for (const file of files) {
    log(`importing ${file} into ${path}`);
    await runCli(['import', 'arxiv-jsonl', file], { DATABASE_URL: path });
  }
  const papers = countPapers(path);
  if (papers !== expected) throw new Error(`${path}: expected ${expected} papers, got ${papers}`);
}

/** Mean nDCG@10 and recall@100 of one search mode over the judged claims. */
export async function measureScifact(
  store: Store,
  semantic: SemanticSearch | null,
  queries: Judged[],
  options: Partial<SearchOptions>,
): Promise<ScifactQuality> {
  let gain = 0;
  let found = 0;
  for (const query of queries) {
    const { hits } = await searchPapers({ store, semantic }, plainQuery(query.text), {
      limit: 100,
      offset: 0,
      boost: false,
      ...options,
    });
    const ranked = hits.map((hit) => hit.paper.id);
    gain += ndcg(ranked, query.relevant, 10);
    found += recall(ranked, query.relevant, 100);
  }
  return { ndcg10: gain / queries.length, recall100: found / queries.length };
}

/** `collections`: which to measure, 'alone' and/or 'mixed'. */
export async function evalScifact(options: { docs: boolean; collections: string[] }): Promise<void> {
  const log = (line: string) => console.log(`[eval:search scifact-dev] ${line}`);
  if (!existsSync(SCIFACT_DIR) || !existsSync(ARXIV_FILE))
    throw new Error(`missing ${SCIFACT_DIR} or ${ARXIV_FILE}: run from a checkout with ../shared beside it`);
  const corpus = scifactCorpus();
  const queries = scifactQueries(corpus.ids);
  const collections = [
    {
      name: 'corpus alone',
      key: 'alone',
      path: join(ROOT, 'data/eval-scifact.db'),
      files: [corpus.file],
      papers: corpus.size,
    },
    {
      name: 'mixed with arXiv',
      key: 'mixed',
      path: join(ROOT, 'data/eval-scifact-mixed.db'),
      files: [ARXIV_FILE, corpus.file],
      papers: corpus.size + 74_728,
    },
  ].filter((collection) => options.collections.includes(collection.key));
  const rows: string[] = [];
  for (const collection of collections) {
    await ensureCollection(collection.path, collection.files, collection.papers, log);
    const store = await openSqliteStore(collection.path);
    try {
      const semantic = await openSemanticForBench(store, log);
      for (const mode of MODES) {
        const quality = await measureScifact(store, semantic, queries, { mode });
        const row = `| ${collection.name} (${collection.papers.toLocaleString('en-US')}) | ${mode} | ${quality.ndcg10.toFixed(3)} | ${quality.recall100.toFixed(3)} |`;
        log(row);
        rows.push(row);
      }
    } finally {
      await store.close();
    }
  }
  if (!options.docs) return;
  writeDocsSection(
    '## Search quality on SciFact',
    `## Search quality on SciFact (\`npm run eval:search -- --set scifact-dev\`)

The ${queries.length} judged training claims of the SciFact dev split (\`../shared/data/scifact-dev\`; expert
judgments, the test claims are measured from outside), searched among its ${corpus.size.toLocaleString('en-US')}
abstracts alone and mixed with the 74,728 arXiv papers of the shared data. Boost off, 100 results per claim; the
site's own model trained on each collection.

| collection | search | nDCG@10 | recall@100 |
| --- | --- | --- | --- |
${rows.join('\n')}

Measured ${new Date().toISOString().slice(0, 10)} with \`npm run eval:search -- --set scifact-dev\`.
`,
  );
  log('wrote the "## Search quality on SciFact" section of docs/benchmarks.md');
}
