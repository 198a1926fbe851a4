// npm run eval:search — known-item retrieval on the full shared data: the query is a paper's Hugging Face
// ai_summary or ai_keywords (a paraphrase written by someone else), the target is that paper, searched among all
// imported papers. Reports MRR@10, recall@10 and recall@100 for keyword, semantic and hybrid search.
// `--set scifact-dev` measures the SciFact dev claims instead (`--collections alone,mixed`: which collections).
// `--store sqlite,postgres` compares keyword search on the SQLite file and on a PostgreSQL copy of it instead.
import { createReadStream } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { createGunzip } from 'node:zlib';
import pg from 'pg';
import { BENCH_SHARED_BUFFERS, createTestDatabase, useSharedBuffers } from '../scripts/lib/postgres.ts';
import type { SemanticSearch } from '../src/search-index/semantic-search.ts';
import { type SearchOptions, searchPapers } from '../src/services/search-papers.ts';
import { copySqliteToPostgres } from '../src/store/copy-to-postgres.ts';
import { openPostgresStore } from '../src/store/postgres/index.ts';
import { openSqliteStore } from '../src/store/sqlite/index.ts';
import type { Store } from '../src/store/store.ts';
import { evalScifact } from './eval-scifact.ts';
import { writeDocsSection } from './lib/docs-section.ts';
import { ensureFullDatabase, FULL_DATABASE, HF_FILE } from './lib/full-data.ts';
import { percentile } from './lib/percentile.ts';
import { plainQuery } from './lib/plain-query.ts';
import { openSemanticForBench } from './lib/semantic-for-bench.ts';

export interface DevQuery {
  target: string;
  kind: 'summary' | 'keywords';
  text: string;
}

/** Every `step`-th paper (by id) with an ai_summary and ai_keywords: a fixed, reproducible dev set. */
export async function loadDevSet(size: number): Promise<DevQuery[]> {
  const papers = new Map<string, { summary: string; keywords: string[] }>();
  for await (const line of createInterface({ input: createReadStream(HF_FILE).pipe(createGunzip()) })) {
    let day: { response?: unknown[] };
    try {
      day = JSON.parse(line);
    } catch {
      continue;
    }
    for (const entry of day.response ?? []) {
      const paper = (entry as { paper?: { id?: string; ai_summary?: string; ai_keywords?: string[] } }).paper;
      if (paper?.id && paper.ai_summary && paper.ai_keywords?.length) {
        papers.set(paper.id, { summary: paper.ai_summary, keywords: paper.ai_keywords });
      }
    }
  }
  const ids = [...papers.keys()].sort();
  const step = Math.max(1, Math.floor(ids.length / size));
  const chosen = ids.filter((_, index) => index % step === 0).slice(0, size);
  return chosen.flatMap((id) => {
    const paper = papers.get(id);
    if (!paper) return [];
    return [
      { target: id, kind: 'summary' as const, text: plainQuery(paper.summary) },
      { target: id, kind: 'keywords' as const, text: plainQuery(paper.keywords.join(', ')) },
    ].filter((query) => /[\p{L}\p{N}]/u.test(query.text));
  });
}

export interface Quality {
  mrr10: number;
  recall10: number;
  recall100: number;
  p50Ms: number;
  p99Ms: number;
}

export async function measure(
  store: Store,
  semantic: SemanticSearch | null,
  queries: DevQuery[],
  options: Partial<SearchOptions>,
): Promise<Quality> {
  let reciprocal = 0;
  let at10 = 0;
  let at100 = 0;
  const times: number[] = [];
  for (const query of queries) {
    const started = performance.now();
    const { hits } = await searchPapers({ store, semantic }, query.text, {
      limit: 100,
      offset: 0,
      boost: false,
      ...options,
    });
    times.push(performance.now() - started);
    const rank = hits.findIndex((hit) => hit.paper.id === query.target) + 1;
    if (rank > 0 && rank <= 10) {
      reciprocal += 1 / rank;
      at10++;
    }
    if (rank > 0) at100++;
  }
  const n = queries.length;
  return {
    mrr10: reciprocal / n,
    recall10: at10 / n,
    recall100: at100 / n,
    p50Ms: percentile(times, 50),
    p99Ms: percentile(times, 99),
  };
}

type StoreKind = 'sqlite' | 'postgres';

/** The full database as a store of `kind`: the SQLite file, or a copy of it in PostgreSQL (`db copy`). */
async function openBenchStore(kind: StoreKind, log: (line: string) => void): Promise<Store> {
  if (kind === 'sqlite') return openSqliteStore(FULL_DATABASE);
  useSharedBuffers(BENCH_SHARED_BUFFERS);
  const database = await createTestDatabase();
  const started = performance.now();
  await copySqliteToPostgres(FULL_DATABASE, database.url);
  // Keyword search reads the planner's statistics of the search vector (the commonest lexemes), and counts
  // matches without reading rows on pages the visibility map marks all-visible: as autovacuum would after the copy.
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await client.query('VACUUM (ANALYZE)');
  await client.end();
  log(`copied into PostgreSQL in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const store = await openPostgresStore(database.url);
  const close = store.close.bind(store);
  store.close = async () => {
    await close();
    await database.drop();
  };
  return store;
}

/**
 * Keyword search on each store, side by side on the same queries: the ranking (MRR@10, recall) and the time of
 * one whole search. Each store answers every query once before the measured pass, as a running site has its
 * word counts cached.
 */
async function compareKeywordSearch(
  kinds: StoreKind[],
  queries: DevQuery[],
  papers: number,
  writeDocs: boolean,
  log: (line: string) => void,
): Promise<void> {
  const rows: string[] = [];
  for (const kind of kinds) {
    const store = await openBenchStore(kind, log);
    try {
      await measure(store, null, queries, { mode: 'keyword' });
      for (const queryKind of ['summary', 'keywords'] as const) {
        const subset = queries.filter((query) => query.kind === queryKind);
        const quality = await measure(store, null, subset, { mode: 'keyword' });
        const row = `| ${queryKind === 'summary' ? 'ai_summary' : 'ai_keywords'} | ${kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'} | ${quality.mrr10.toFixed(3)} | ${quality.recall10.toFixed(3)} | ${quality.recall100.toFixed(3)} | ${quality.p50Ms.toFixed(1)} ms | ${quality.p99Ms.toFixed(1)} ms |`;
        log(row);
        rows.push(row);
      }
    } finally {
      await store.close();
    }
  }
  if (!writeDocs) return;
  const heading = '## Keyword search on SQLite and PostgreSQL';
  writeDocsSection(
    heading,
    `${heading} (\`npm run eval:search -- --store ${kinds.join(',')}\`)

The search-quality dev set (${queries.length / 2} papers, boost off) in keyword mode, on the same ${papers.toLocaleString('en-US')} papers in
each store (PostgreSQL 15: a throwaway cluster holding a \`db copy\` of the SQLite file, then \`VACUUM (ANALYZE)\`). p50 and p99
are one whole search returning 100 papers, after a first pass over the queries (word counts cached, as on a running
site).

| query | store | MRR@10 | recall@10 | recall@100 | p50 | p99 |
| --- | --- | --- | --- | --- | --- | --- |
${rows.join('\n')}

Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}, load average ${loadavg()[0]?.toFixed(1)} at the end.
`,
  );
  log(`wrote the "${heading}" section of docs/benchmarks.md`);
}

function machine(): string {
  const cpu = cpus();
  return `${cpu.length} × ${cpu[0]?.model.trim() ?? 'cpu'}, Node ${process.version}`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      size: { type: 'string', default: '500' },
      set: { type: 'string', default: 'hf' },
      'no-docs': { type: 'boolean', default: false },
      store: { type: 'string', default: 'sqlite' },
      collections: { type: 'string', default: 'alone,mixed' },
    },
  });
  if (values.set === 'scifact-dev') {
    await evalScifact({ docs: !values['no-docs'], collections: values.collections.split(',') });
    return;
  }
  if (values.set !== 'hf') throw new Error(`--set: expected hf or scifact-dev, got ${values.set}`);
  const log = (line: string) => console.log(`[eval:search] ${line}`);
  const kinds = values.store.split(',').map((kind) => kind.trim());
  if (!kinds.every((kind): kind is StoreKind => kind === 'sqlite' || kind === 'postgres'))
    throw new Error(`--store: sqlite, postgres or both (sqlite,postgres), not ${values.store}`);
  const papers = await ensureFullDatabase(log);
  if (kinds.includes('postgres')) {
    const queries = await loadDevSet(Number(values.size));
    log(
      `${queries.length} queries on ${papers.toLocaleString('en-US')} papers, keyword search on ${kinds.join(', ')}`,
    );
    await compareKeywordSearch(kinds, queries, papers, !values['no-docs'], log);
    return;
  }
  const store = await openSqliteStore(FULL_DATABASE);
  const semantic = await openSemanticForBench(store, log);
  const queries = await loadDevSet(Number(values.size));
  log(`${queries.length} queries on ${papers.toLocaleString('en-US')} papers`);
  const rows: string[] = [];
  const modes = semantic ? (['keyword', 'semantic', 'hybrid'] as const) : (['keyword'] as const);
  for (const kind of ['summary', 'keywords'] as const) {
    const subset = queries.filter((query) => query.kind === kind);
    for (const mode of modes) {
      const quality = await measure(store, semantic, subset, { mode });
      const row = `| ${kind === 'summary' ? 'ai_summary' : 'ai_keywords'} | ${mode} | ${quality.mrr10.toFixed(3)} | ${quality.recall10.toFixed(3)} | ${quality.recall100.toFixed(3)} | ${quality.p50Ms.toFixed(1)} ms |`;
      log(row);
      rows.push(row);
    }
  }
  await store.close();
  if (values['no-docs']) return;
  writeDocsSection(
    '## Search quality',
    `## Search quality (\`npm run eval:search\`)

Known-item retrieval among all ${papers.toLocaleString('en-US')} imported papers: the query is a paper's Hugging Face
\`ai_summary\` or its \`ai_keywords\` (paraphrases written by someone else, never indexed), the target is that
paper. ${queries.length / 2} papers (every n-th by id among those with both fields), boost off. The p50
column is one whole search returning 100 papers (both retrievers, fusion, loading the papers); it is a quality
run, not the speed benchmark. Semantic model: the site's default, trained on these papers (\`dailypapers index
--embed\`), searched through the approximate vector index as the site does; fusion weights from \`npm run
tune:fusion\` on the same dev set.

| query | search | MRR@10 | recall@10 | recall@100 | p50 |
| --- | --- | --- | --- | --- | --- |
${rows.join('\n')}

Measured ${new Date().toISOString().slice(0, 10)} with \`npm run eval:search\`.
`,
  );
  log('wrote the "## Search quality" section of docs/benchmarks.md');
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
