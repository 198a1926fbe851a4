// npm run eval:recommend -- --cutoff YYYY-MM-DD [--days 30] [--members N] [--json]
// Authors as members: an author with at least 4 papers listed before the cut-off "upvoted" them; every method
// ranks all papers listed in the following days, blind to the author's name, and should put the author's own
// later papers first. Prints recall@50 and nDCG@50 averaged over the sampled authors, for each method.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import type { RecommendPaper } from '../src/domain/recommend/contract.ts';
import {
  createRecommender,
  DEFAULT_TUNING,
  type RecommendTuning,
} from '../src/domain/recommend/recommend.ts';
import { paperText } from '../src/embeddings/embedder.ts';
import { LsaModel, trainLsa } from '../src/embeddings/lsa-model.ts';
import {
  ARXIV_FILE,
  type ListedPaper,
  loadListings,
  loadUpvotes,
  requireSharedFile,
} from './lib/arxiv-listings.ts';
import { decision, SanityTfidf, sanitySvm } from './lib/arxiv-sanity.ts';
import { blindTo, splitAtCutoff } from './lib/authors-as-members.ts';
import { ROOT } from './lib/full-data.ts';
import { ndcgAt, recallAt } from './lib/ranking-metrics.ts';
import { seededRandom, shuffled } from './lib/seeded-random.ts';

const K = 50;
const METHODS = ['popular', 'arxiv-sanity', 'ours'] as const;
type Method = (typeof METHODS)[number];

const { values } = parseArgs({
  options: {
    cutoff: { type: 'string' },
    days: { type: 'string', default: '30' },
    members: { type: 'string', default: '100' },
    background: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '1' },
    methods: { type: 'string', default: METHODS.join(',') },
    /** For development: JSON overriding parts of the recommender's tuning, or a list of such (one row each). */
    tuning: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});

function usage(message: string): never {
  console.error(`eval:recommend: ${message}`);
  console.error('usage: npm run eval:recommend -- --cutoff YYYY-MM-DD [--days 30] [--members N] [--json]');
  process.exit(2);
}

const cutoff = values.cutoff ?? usage('--cutoff YYYY-MM-DD is required');
if (!/^\d{4}-\d{2}-\d{2}$/.test(cutoff) || Number.isNaN(Date.parse(cutoff))) usage(`bad --cutoff ${cutoff}`);
const positiveInteger = (name: string, text: string) => {
  const n = Number(text);
  return Number.isInteger(n) && n > 0 ? n : usage(`--${name} must be a positive integer, not ${text}`);
};
const days = positiveInteger('days', values.days);
const memberCount = positiveInteger('members', values.members);
const backgroundSize = positiveInteger('background', values.background);
const seed = positiveInteger('seed', values.seed);
const methods = values.methods
  .split(',')
  .filter((m): m is Method => (METHODS as readonly string[]).includes(m));
const overrides = (values.tuning ? [JSON.parse(values.tuning)].flat() : []) as Partial<RecommendTuning>[];
const variants = overrides.map((override) => ({
  name: `ours ${JSON.stringify(override)}`,
  tuning: { ...DEFAULT_TUNING, ...override, features: { ...DEFAULT_TUNING.features, ...override.features } },
}));
const log = (line: string) => console.error(line);

requireSharedFile(ARXIV_FILE);
const started = performance.now();
const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
const [papers, upvotes] = await Promise.all([loadListings(), loadUpvotes()]);
const split = splitAtCutoff(papers, { cutoff, days, members: memberCount, minEarlier: 4, seed });
if (split.members.length === 0)
  usage(`no author has 4 papers before ${cutoff} and one in the ${days} days after`);
log(
  `${seconds()} s: ${split.before.length} papers before ${cutoff}, ${split.window.length} in the ${days} days after; ` +
    `${split.members.length} of ${split.eligible} eligible authors`,
);

type Ranking = (member: (typeof split.members)[number], index: number) => string[];
const rankings = new Map<string, Ranking>();
if (methods.includes('popular')) rankings.set('popular', popularRanking());
if (methods.includes('arxiv-sanity')) rankings.set('arxiv-sanity', sanityRanking());
if (methods.includes('ours')) {
  const ours = oursRanking();
  rankings.set('ours', ours(DEFAULT_TUNING));
  for (const variant of variants) rankings.set(variant.name, ours(variant.tuning));
}

function popularRanking() {
  const ranked = [...split.window]
    .sort(
      (a, b) =>
        (upvotes.get(b.id) ?? 0) - (upvotes.get(a.id) ?? 0) ||
        b.listedOn.localeCompare(a.listedOn) ||
        b.id.localeCompare(a.id),
    )
    .map((paper) => paper.id);
  return () => ranked;
}

function sanityRanking() {
  // The database holds everything listed up to the end of the window, as when arxiv-sanity ranks that day.
  const corpus = [...split.before, ...split.window];
  const tfidf = new SanityTfidf(corpus);
  const vectors = corpus.map((paper) => tfidf.vectorize(paper));
  const position = new Map(corpus.map((paper, k) => [paper.id, k]));
  log(`${seconds()} s: arxiv-sanity TF-IDF of ${corpus.length} papers, ${tfidf.dimensions} terms`);
  return (member: (typeof split.members)[number]) => {
    const documents = corpus.map((paper, k) =>
      paper.listedOn >= cutoff && paper.authors.includes(member.name)
        ? tfidf.vectorize(blindTo(paper, member.name))
        : (vectors[k] ?? { index: new Int32Array(0), value: new Float32Array(0) }),
    );
    const positive = new Set(member.earlier.map((paper) => position.get(paper.id) ?? -1));
    const model = sanitySvm(documents, positive, tfidf.dimensions);
    const windowStart = split.before.length;
    return split.window
      .map((paper, k) => ({
        id: paper.id,
        score: decision(model, documents[windowStart + k] ?? vectors[0]!),
      }))
      .sort((a, b) => b.score - a.score)
      .map((entry) => entry.id);
  };
}

/** The site's embedding model as it would be at the cut-off: trained on the earlier papers (kept under data/). */
function lsaAtCutoff(): LsaModel {
  const path = join(ROOT, `data/eval-recommend-lsa-${cutoff}.bin`);
  if (existsSync(path)) {
    const model = LsaModel.deserialize(readFileSync(path));
    if (model.trainedOn === split.before.length) {
      log(`${seconds()} s: reusing the LSA model in ${path}`);
      return model;
    }
  }
  const model = trainLsa(split.before.map(paperText));
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, model.serialize());
  log(
    `${seconds()} s: LSA model (${model.dimensions} dimensions) trained on the ${split.before.length} earlier papers`,
  );
  return model;
}

function oursRanking() {
  const model = lsaAtCutoff();
  const asRecommendPaper = (paper: ListedPaper): RecommendPaper => ({
    id: paper.id,
    title: paper.title,
    abstract: paper.abstract,
    authors: paper.authors,
    organization: null,
    day: paper.listedOn,
    upvotes: upvotes.get(paper.id) ?? 0,
    vector: model.embedOne(paperText(paper)),
  });
  const before = split.before.map(asRecommendPaper);
  const window = split.window.map(asRecommendPaper);
  log(`${seconds()} s: papers embedded`);
  return (tuning: RecommendTuning): Ranking =>
    (member, index) => {
      const recommend = createRecommender(tuning);
      const own = new Set(member.earlier.map((paper) => paper.id));
      const signals = before
        .filter((paper) => own.has(paper.id))
        .map((paper) => ({ paper, kind: 'upvote' as const, at: `${paper.day}T00:00:00Z` }));
      const background = shuffled(
        before.filter((paper) => !own.has(paper.id)),
        seededRandom(seed * 7919 + index),
      ).slice(0, backgroundSize);
      return recommend({
        profile: { signals, followedAuthors: [], followedOrganizations: [], topics: [] },
        candidates: window.map((paper) => blindTo(paper, member.name)),
        background,
        limit: K,
      }).map((entry) => entry.id);
    };
}

const totals = new Map([...rankings.keys()].map((name) => [name, { ndcg: 0, recall: 0, ms: 0 }]));
split.members.forEach((member, index) => {
  for (const [method, rank] of rankings) {
    const t0 = performance.now();
    const ranking = rank(member, index);
    const total = totals.get(method) ?? { ndcg: 0, recall: 0, ms: 0 };
    total.ms += performance.now() - t0;
    total.ndcg += ndcgAt(ranking, member.later, K);
    total.recall += recallAt(ranking, member.later, K);
  }
  if ((index + 1) % 10 === 0) log(`${seconds()} s: ${index + 1} of ${split.members.length} members`);
});

const n = split.members.length;
const round = (value: number) => Math.round(value * 10_000) / 10_000;
const result = {
  members: n,
  methods: Object.fromEntries(
    [...totals].map(([m, total]) => [
      m,
      { 'ndcg@50': round(total.ndcg / n), 'recall@50': round(total.recall / n) },
    ]),
  ),
};
if (values.json) console.log(JSON.stringify(result));
else {
  console.log(
    `cut-off ${cutoff}, ${days} days, ${n} members (seed ${seed}), ${split.window.length} candidates`,
  );
  console.log('method        nDCG@50  recall@50  ms/member');
  for (const [m, total] of totals)
    console.log(
      `${m.padEnd(13)} ${(total.ndcg / n).toFixed(4).padStart(7)}  ${(total.recall / n).toFixed(4).padStart(9)}  ${(total.ms / n).toFixed(0).padStart(9)}`,
    );
}
