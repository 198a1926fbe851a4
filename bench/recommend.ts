// npm run bench:recommend [-- --rounds 30] — time of one "For you" ranking (`recommend()` of
// src/domain/recommend) for a member with 500 signals on the full shared data (the arXiv listings and the Hugging
// Face papers: 80k papers), over the papers listed in the site's last 7 and last 30 days. Each timed request
// carries one more signal than the one before, as when the member keeps upvoting.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import type { PaperSignal, RecommendPaper } from '../src/domain/recommend/contract.ts';
import { recommend } from '../src/domain/recommend/recommend.ts';
import { paperText } from '../src/embeddings/embedder.ts';
import { LsaModel, trainLsa } from '../src/embeddings/lsa-model.ts';
import { ARXIV_FILE, loadHfPapers, loadListings, requireSharedFile } from './lib/arxiv-listings.ts';
import { addDays } from './lib/authors-as-members.ts';
import { writeDocsSection } from './lib/docs-section.ts';
import { ROOT } from './lib/full-data.ts';
import { percentile } from './lib/percentile.ts';
import { seededRandom, shuffled } from './lib/seeded-random.ts';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '30' },
    signals: { type: 'string', default: '500' },
    background: { type: 'string', default: '1000' },
    'no-docs': { type: 'boolean', default: false },
  },
});
const rounds = Number(values.rounds);
const signalCount = Number(values.signals);
const backgroundSize = Number(values.background);
const log = (line: string) => console.error(line);

requireSharedFile(ARXIV_FILE);
const [listings, hf] = await Promise.all([loadListings(), loadHfPapers()]);
const hfById = new Map(hf.map((paper) => [paper.id, paper]));
const listed = new Set(listings.map((paper) => paper.id));
const site = [
  ...listings.map((paper) => ({
    ...paper,
    upvotes: hfById.get(paper.id)?.upvotes ?? 0,
    organization: hfById.get(paper.id)?.organization ?? null,
  })),
  ...hf.filter((paper) => !listed.has(paper.id)),
].sort((a, b) => a.listedOn.localeCompare(b.listedOn) || a.id.localeCompare(b.id));
log(
  `${site.length} papers (${listings.length} arXiv listings, ${site.length - listings.length} more from Hugging Face)`,
);

// The site's embedding model; its training time is not measured here, so it learns from a sample and is kept.
const MODEL_SAMPLE = 5_000;
const modelPath = join(ROOT, 'data/bench-recommend-lsa.bin');
const model = existsSync(modelPath)
  ? LsaModel.deserialize(readFileSync(modelPath))
  : (() => {
      const trained = trainLsa(shuffled(site, seededRandom(3)).slice(0, MODEL_SAMPLE).map(paperText));
      mkdirSync(dirname(modelPath), { recursive: true });
      writeFileSync(modelPath, trained.serialize());
      return trained;
    })();
// Vectors of the papers a request uses only, embedded when first needed.
const papers = site.map(
  (paper): RecommendPaper => ({
    id: paper.id,
    title: paper.title,
    abstract: paper.abstract,
    authors: paper.authors,
    organization: paper.organization,
    day: paper.listedOn,
    upvotes: paper.upvotes,
    vector: null,
  }),
);
const withVector = (paper: RecommendPaper): RecommendPaper => {
  paper.vector ??= model.embedOne(paperText(paper));
  return paper;
};

// The arXiv listings end before the Hugging Face file does: "recent" is counted back from their last day.
const newest = listings.at(-1)?.listedOn ?? '';
const random = seededRandom(11);
// The member: papers of two arXiv-ish fields, found by words, upvoted, saved or dismissed over the last months.
const older = papers.filter((paper) => (paper.day ?? '') < addDays(newest, -30));
const interesting = older.filter((paper) => /\b(retrieval|speech|graph neural)\b/i.test(paper.abstract));
const liked = shuffled(interesting, random)
  .slice(0, signalCount + rounds)
  .map(withVector);
const dismissed = shuffled(older, random).slice(0, 20).map(withVector);
const signalsOf = (count: number): PaperSignal[] => [
  ...liked.slice(0, count).map(
    (paper, k): PaperSignal => ({
      paper,
      kind: k % 5 === 0 ? 'save' : 'upvote',
      at: `${paper.day}T12:00:00Z`,
    }),
  ),
  ...dismissed.map((paper): PaperSignal => ({ paper, kind: 'not-interested', at: `${paper.day}T13:00:00Z` })),
];
const likedIds = new Set(liked.map((paper) => paper.id));
const background = shuffled(
  papers.filter((paper) => !likedIds.has(paper.id)),
  random,
)
  .slice(0, backgroundSize)
  .map(withVector);
const followedAuthors = liked.slice(0, 10).flatMap((paper) => paper.authors.slice(0, 1));

interface Row {
  days: number;
  candidates: number;
  p50: number;
  p90: number;
  max: number;
  cpuP50: number;
}

const rows: Row[] = [];
for (const days of [7, 30]) {
  const candidates = papers
    .filter((paper) => (paper.day ?? '') > addDays(newest, -days) && (paper.day ?? '') <= newest)
    .map(withVector);
  const topics = [0, 1, 2].map((k) => ({
    id: `t${k}`,
    label: ['retrieval', 'speech', 'graphs'][k] ?? '',
    matches: new Set(candidates.filter((_, i) => i % (7 + k) === 0).map((paper) => paper.id)),
  }));
  const times: number[] = [];
  const cpu: number[] = [];
  for (let round = -5; round < rounds; round++) {
    const request = {
      profile: {
        signals: signalsOf(signalCount + Math.max(0, round)),
        followedAuthors,
        followedOrganizations: [],
        topics,
      },
      candidates,
      background,
      limit: 50,
    };
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    const result = recommend(request);
    if (round >= 0) {
      times.push(performance.now() - started);
      cpu.push(process.cpuUsage(cpuStarted).user / 1000);
    }
    if (result.length !== 50) throw new Error(`expected 50 recommendations, got ${result.length}`);
  }
  const row = {
    days,
    candidates: candidates.length,
    p50: percentile(times, 50),
    p90: percentile(times, 90),
    max: Math.max(...times),
    cpuP50: percentile(cpu, 50),
  };
  rows.push(row);
  log(
    `last ${days} days (${row.candidates} candidates): p50 ${row.p50.toFixed(1)} ms, p90 ${row.p90.toFixed(1)} ms, ` +
      `max ${row.max.toFixed(1)} ms, CPU p50 ${row.cpuP50.toFixed(1)} ms`,
  );
}

const load = loadavg().map((value) => value.toFixed(1));
const table = rows
  .map(
    (row) =>
      `| last ${row.days} days | ${row.candidates.toLocaleString('en-US')} | ${row.p50.toFixed(1)} ms | ${row.p90.toFixed(1)} ms | ${row.max.toFixed(1)} ms | ${row.cpuP50.toFixed(1)} ms |`,
  )
  .join('\n');
const section = `## "For you" ranking (\`npm run bench:recommend\`)

Time of one \`recommend()\` call (src/domain/recommend) for a member with ${signalCount} signals
(${signalCount - signalCount / 5} upvotes, ${signalCount / 5} saves, 20 "not interested", 10 followed authors, 3
followed topics), ${backgroundSize} background papers sampled from the site, over ${site.length.toLocaleString('en-US')} papers
(the arXiv listings and the Hugging Face papers of the shared data, vectors from an LSA model trained on
${MODEL_SAMPLE.toLocaleString('en-US')} of them). Candidates: the papers listed in the site's last 7 or 30 days
(the last arXiv listing day, ${newest}). ${rounds} timed calls after 5 warm-up calls; each call has one more upvote than the one before,
so the model is learned anew every time. Words of papers already seen are remembered by the process (as in a web
process ranking the same recent papers for every member); the first call of a process reads them all. Target:
p50 ≤ 50 ms.

| candidates | papers | p50 | p90 | max | CPU time p50 |
| --- | --- | --- | --- | --- | --- |
${table}

Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, Node ${process.version}, load average
${load.join(' / ')} (1/5/15 min) on the 2 cores while it ran.
`;
if (!values['no-docs']) writeDocsSection('## "For you" ranking', section);
console.log(section);
