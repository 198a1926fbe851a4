// npm run bench:search — search latency: the dev-set queries (a paper's ai_summary or ai_keywords, see
// eval-search.ts) run one after another for each retriever, one results page (20) each, against the 80,017 shared
// papers; with `--corpus large` (npm run bench:search:large) against the 2.7M-paper corpus of
// bench/generate-corpus.ts, built on first use (bench/lib/large-data.ts). Prints p50/p95/p99, approximate semantic
// search recall@10 against exact float32 search, vector index load time, embedding throughput, database size
// and RSS; writes its section of docs/benchmarks.md. With `--store postgres`, the same database is copied by
// `dailypapers db copy` into a PostgreSQL + pgvector cluster kept beside it and measured there instead
// (bench/lib/pgvector-search.ts): `npm run bench:search:large -- --store postgres` for the 2.7M-paper figures.
import { existsSync, statSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { SemanticIndex } from '../src/search-index/semantic-index.ts';
import { openSqliteStore } from '../src/store/sqlite/index.ts';
import { loadDevSet } from './eval-search.ts';
import { LARGE_CORPUS_PAPERS } from './generate-corpus.ts';
import { type KeywordProfile, profileKeywordSearch } from './keyword-profile.ts';
import { exactReference, recallAt10 } from './lib/ann-recall.ts';
import { writeDocsSection } from './lib/docs-section.ts';
import { ensureFullDatabase, FULL_DATABASE } from './lib/full-data.ts';
import { ensureLargeDatabase, LARGE_DATABASE, type LargeBuild } from './lib/large-data.ts';
import { benchPgvectorSearch } from './lib/pgvector-search.ts';
import { SEARCH_MODES, timeSearchMode } from './lib/search-latency.ts';
import { openSemanticForBench } from './lib/semantic-for-bench.ts';

const { values } = parseArgs({
  options: {
    corpus: { type: 'string', default: 'shared' },
    /** sqlite, or postgres: the same database copied into PostgreSQL with pgvector (bench/lib/pgvector-search.ts). */
    store: { type: 'string', default: 'sqlite' },
    'no-docs': { type: 'boolean', default: false },
    /** Also measure the approximate search at these probe counts (comma-separated). */
    probes: { type: 'string', default: '' },
  },
});
if (values.corpus !== 'shared' && values.corpus !== 'large') throw new Error('--corpus is shared or large');
if (values.store !== 'sqlite' && values.store !== 'postgres')
  throw new Error('--store is sqlite or postgres');
const large = values.corpus === 'large';
const log = (line: string) => console.log(`[bench:search${large ? ' large' : ''}] ${line}`);
const number = (value: number) => Math.round(value).toLocaleString('en-US');
const megabytes = (bytes: number) => Math.round(bytes / 2 ** 20);

let build: LargeBuild | null = null;
let papers: number;
if (large) {
  build = await ensureLargeDatabase(log);
  papers = LARGE_CORPUS_PAPERS;
} else {
  papers = await ensureFullDatabase(log);
}
const path = large ? LARGE_DATABASE : FULL_DATABASE;
const store = await openSqliteStore(path);
if (values.store === 'postgres') {
  if (!large) await openSemanticForBench(store, log);
  await store.close();
  await benchPgvectorSearch({ sqlitePath: path, large, docs: !values['no-docs'], log });
  process.exit(0);
}
// The shared database is embedded here on first use (the large one by ensureLargeDatabase), and its partitions
// built again to time it (saved, as `dailypapers index --partitions` does).
let buildSeconds = build?.index?.partitions ?? 0;
if (!large) {
  await openSemanticForBench(store, log);
  const rebuilt = await SemanticIndex.open(store, { rebuild: true });
  const started = performance.now();
  await rebuilt?.partitioning;
  buildSeconds = (performance.now() - started) / 1000;
  log(`partitions built and saved in ${buildSeconds.toFixed(1)} s`);
}

const loadStarted = performance.now();
const opened = await SemanticIndex.open(store);
if (!opened) throw new Error('no embedding model in the database');
const semantic = opened;
await semantic.partitioning;
const loadSeconds = (performance.now() - loadStarted) / 1000;
const lists = semantic.partitionInfo?.lists ?? 0;
log(
  `${number(semantic.size)} vectors, ${number(lists)} partitions, ready in ${loadSeconds.toFixed(1)} s (${semantic.builtPartitions ? 'partitions built' : 'saved partitions loaded'})`,
);

const texts = (await store.vectors.listPaperTexts(0, 20_000)).map(
  (paper) => `${paper.title}\n${paper.abstract}`,
);
const embedStarted = performance.now();
await semantic.embedder.embed(texts);
const embedRate = texts.length / ((performance.now() - embedStarted) / 1000);
log(`embedding: ${number(embedRate)} papers/s (${texts.length} papers, in process)`);

const queries = (await loadDevSet(500)).slice(0, 1000);
log(`${queries.length} queries, ${number(papers)} papers; load average ${loadavg()[0]?.toFixed(1)}`);
const rows: string[] = [];
const p50: Record<string, number> = {};
const p99: Record<string, number> = {};
for (const mode of SEARCH_MODES) {
  const latency = await timeSearchMode({ store, semantic }, queries, mode);
  p50[mode] = latency.p50;
  p99[mode] = latency.p99;
  const row = `| ${mode} | ${latency.p50.toFixed(1)} ms | ${latency.p95.toFixed(1)} ms | ${latency.p99.toFixed(1)} ms | ${latency.cpuMs.toFixed(1)} ms |`;
  log(row);
  rows.push(row);
}

const exactStarted = performance.now();
const exact = await exactReference(
  store,
  semantic.embedder,
  queries.map((query) => query.text),
);
log(`exact float32 top 10 of every query in ${((performance.now() - exactStarted) / 1000).toFixed(1)} s`);
const annRecall = (probes?: number) =>
  recallAt10((text) => semantic.search(text, 10, probes), queries, exact);
const { recall } = await annRecall();
log(`approximate semantic search: recall@10 ${recall.toFixed(3)} against exact float32`);
const probeRows: string[] = [];
for (const probes of values.probes.split(',').filter(Boolean).map(Number)) {
  const measured = await annRecall(probes);
  const row = `| ${probes} | ${measured.recall.toFixed(3)} | ${measured.p50Ms.toFixed(2)} ms |`;
  log(row);
  probeRows.push(row);
}

const keyword = large ? await profileKeywordSearch(path, 100) : null;
if (keyword) log(`keyword search parts: ${JSON.stringify(keyword)}`);

const rss = megabytes(process.memoryUsage().rss);
const disk = megabytes(statSync(path).size + (existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0));
log(`RSS ${rss} MB (vectors ${megabytes(semantic.memoryBytes)} MB), database ${disk} MB`);
await store.close();

const cpu = cpus();
const machine = `${cpu.length} × ${cpu[0]?.model.trim() ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
const today = new Date().toISOString().slice(0, 10);
const table = `| search | p50 | p95 | p99 | CPU / query |
| --- | --- | --- | --- | --- |
${rows.join('\n')}`;
const probeTable =
  probeRows.length > 0
    ? `\nApproximate semantic search alone (embedding the query included) at other probe counts:\n\n| probes | recall@10 | p50 |\n| --- | --- | --- |\n${probeRows.join('\n')}\n`
    : '';
const vectorsLine = `${number(semantic.size)} vectors stored as int8 in ${megabytes(semantic.memoryBytes)} MB, ${number(lists)} partitions`;

function keywordTable({ queries: count, parts, perMatchUs }: KeywordProfile): string {
  const ms = (part: { p50: number; p90: number }) => `${part.p50.toFixed(1)} ms | ${part.p90.toFixed(1)} ms`;
  return `
Where keyword search spends its time (\`bench/keyword-profile.ts\`, ${count} of the queries):

| part | p50 | p90 |
| --- | --- | --- |
| \`keywordSearch\` as search calls it (200 candidates), document frequencies cached | ${ms(parts.whole)} |
| document frequencies of the query's words not seen before (an FTS5 count each, then cached) | ${ms(parts.frequency)} |
| FTS5 query of the 8 rarest words, every match ranked by bm25_df, top 400 | ${ms(parts.ranked)} |
| the same query unranked, first 400 | ${ms(parts.unranked)} |
| papers matching it | ${number(parts.matches.p50)} | ${number(parts.matches.p90)} |

Ranking every match costs ${perMatchUs.toFixed(2)} µs per matching paper, and a paraphrase's words match a quarter
of this corpus: \`keywordSearch\` ranks only the papers with one of the query's rarest words.
`;
}

if (values['no-docs']) process.exit(0);
if (!large) {
  writeDocsSection(
    '## Search speed',
    `## Search speed (\`npm run bench:search\`)

${queries.length} dev-set queries (paraphrases of a paper: its \`ai_summary\` or \`ai_keywords\`) run one
after another against the ${number(papers)} shared papers, one page of 20 results each, after 50 warm-up
queries. ${machine}; 1-minute load average ${loadavg()[0]?.toFixed(1)} at the end (other work shares the 2 cores:
"CPU / query" is this process's own CPU time, which noise affects less than the latencies).

${table}

Process RSS at the end ${rss} MB; database file ${disk} MB. Vector index: ${vectorsLine}, ready in
${loadSeconds.toFixed(1)} s at start-up (vectors read from the database and laid out by the saved partitions;
\`dailypapers index --embed\` builds and saves them: ${buildSeconds.toFixed(1)} s at this size). The approximate semantic
search finds ${(recall * 100).toFixed(1)} % of the exact float32 top 10 (recall@10 over the same queries). Embedding:
${number(embedRate)} papers/s in process. Target hybrid p50 ≤ 10 ms and p99 ≤ 50 ms at this size:
${(p50.hybrid ?? 0) <= 10 && (p99.hybrid ?? 0) <= 50 ? 'met' : 'not met'}. Measured ${today}.
${probeTable}`,
  );
  log('wrote the "## Search speed" section of docs/benchmarks.md');
} else {
  const steps = build?.steps ?? {};
  const imported = Object.entries(steps)
    .filter(([step]) => step.startsWith('import'))
    .reduce((sum, [, seconds]) => sum + seconds, 0);
  const index = build?.index ?? {};
  const shardSeconds = Object.entries(steps)
    .filter(([step]) => step.startsWith('import data/'))
    .map(([, seconds]) => seconds);
  const shards = `a 262,000-paper shard took ${number(Math.min(...shardSeconds))}–${number(Math.max(...shardSeconds))} s, slower as the database grew and while other work loaded the machine`;
  writeDocsSection(
    '## Search at scale (2.7M papers)',
    `## Search at scale (2.7M papers) (\`npm run bench:search:large\`)

A corpus of ${number(papers)} papers derived deterministically from the shared data by \`npm run generate:corpus\`
(bench/generate-corpus.ts): the 80,017 real papers as imported for the other benchmarks, plus 2,619,983 synthetic
ones written as arXiv metadata-snapshot JSONL (each a variant of a real paper: about half of its sentences,
shuffled, mixed with sentences of three papers of its category, a few words swapped, a title partly replaced, new
id and date). Synthetic text is repetitive: it says how fast, not how well, search works at this size. The same
${queries.length} dev-set queries as above, one page of 20 each after 50 warm-up queries. ${machine}; 1-minute load
average ${loadavg()[0]?.toFixed(1)} at the end (other work shares the 2 cores).

${table}

Approximate semantic search: recall@10 ${recall.toFixed(3)} against exact float32 search (target ≥ 0.95). Hybrid
p50 target ≤ 30 ms: ${(p50.hybrid ?? 0) <= 30 ? 'met' : 'not met'}.
${probeTable}${keyword ? keywordTable(keyword) : ''}
| build step | time |
| --- | --- |
| import through the CLI (12 files, keyword index kept in the same transactions; ${shards}) | ${number(imported)} s (${number(papers / Math.max(imported, 1))} papers/s) |
| train the site's default embedding model (on every ${Math.ceil(papers / 200_000)}th paper) | ${number(index.train ?? 0)} s |
| embed every paper (read, embed, write) | ${number(index.embed ?? 0)} s (${number((index.embedded ?? 0) / Math.max(index.embed ?? 1, 1))} papers/s; embedding alone, timed on the first 20,000 papers in the bench: ${number(embedRate)} papers/s) |
| \`index --embed\`: read the vectors | ${number(index.load ?? 0)} s |
| \`index --embed\`: build the partitions (two-level k-means on 200,000, assign all, lay out) and save them | ${number(buildSeconds)} s (peak RSS of the command ${number(build?.indexPeakMb ?? 0)} MB) |
| start-up of a search process (vectors read, laid out by the saved partitions) | ${loadSeconds.toFixed(1)} s |

Database ${number(disk)} MB; ${vectorsLine}; process RSS at the end ${number(rss)} MB. Measured ${today}.
`,
  );
  log('wrote the "## Search at scale (2.7M papers)" section of docs/benchmarks.md');
}
