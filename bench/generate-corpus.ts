// npm run generate:corpus — a deterministic 2.7M-paper corpus for scale benchmarks, derived from the shared arXiv
// listings: the 80,017 real papers (imported from the shared files as they are, so every dev-set query keeps its
// target) plus 2,619,983 synthetic papers written as arXiv metadata-snapshot JSONL shards under data/, imported
// through the real CLI. A synthetic paper is a variant of one real paper: about half of its sentences, shuffled,
// mixed with sentences of three other papers of the same primary category, a few words swapped for theirs; a title
// of its words partly replaced by another paper's; some of its authors and others'; its categories; a new id
// YYMM.5NNNN (2015–2019 months, numbers no real paper of those months has) and a date in that month. Same input,
// same bytes out.

import { once } from 'node:events';
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { createGunzip } from 'node:zlib';
import { EXPECTED_PAPERS, ROOT, SHARED_DATA } from './lib/full-data.ts';
import { seededRandom } from './lib/seeded-random.ts';

export const LARGE_CORPUS_PAPERS = 2_700_000;
export const CORPUS_DIR = join(ROOT, 'data/corpus-2.7m');
export const CORPUS_SHARDS = 10;
const LISTINGS = join(SHARED_DATA, 'arxiv-listings-2025-2026.jsonl.gz');
/** Synthetic ids per month: YYMM.50000 to YYMM.99999, above any real id of 2015–2019. */
const IDS_PER_MONTH = 50_000;

export const shardPath = (shard: number) =>
  join(CORPUS_DIR, `part-${String(shard + 1).padStart(2, '0')}.jsonl`);

interface Source {
  id: string;
  title: string;
  sentences: string[];
  words: string[];
  titleWords: string[];
  authors: string[];
  categories: string[];
}

async function loadSources(): Promise<Source[]> {
  const sources: Source[] = [];
  for await (const line of createInterface({ input: createReadStream(LISTINGS).pipe(createGunzip()) })) {
    const raw = JSON.parse(line) as {
      id: string;
      title: string;
      summary: string;
      authors: string[];
      categories?: string[];
    };
    const abstract = raw.summary.replace(/\s+/g, ' ').trim();
    const title = raw.title.replace(/\s+/g, ' ').trim();
    // The crawler lists MSC and ACM classes among the categories ("68T45, 62H30"); keep arXiv's own.
    const categories = (raw.categories ?? []).filter((category) => /^[a-z-]+(\.[A-Za-z-]+)?$/.test(category));
    sources.push({
      id: raw.id,
      title,
      sentences: abstract.split(/(?<=[.!?])\s+(?=[A-Z(])/),
      words: abstract.split(' '),
      titleWords: title.split(' '),
      authors: raw.authors,
      categories: categories.length > 0 ? categories : ['cs.AI'],
    });
  }
  return sources.sort((a, b) => (a.id < b.id ? -1 : 1));
}

const pick = <T>(items: T[], random: () => number): T => items[Math.floor(random() * items.length)] as T;

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

function syntheticId(index: number): { id: string; year: number; month: number } {
  const monthIndex = Math.floor(index / IDS_PER_MONTH);
  const year = 2015 + Math.floor(monthIndex / 12);
  const month = 1 + (monthIndex % 12);
  const yymm = `${String(year % 100).padStart(2, '0')}${String(month).padStart(2, '0')}`;
  return { id: `${yymm}.${50_000 + (index % IDS_PER_MONTH)}`, year, month };
}

/** One synthetic paper as an arXiv snapshot record. */
function variant(source: Source, peers: Source[], index: number, random: () => number): object {
  const partners = [pick(peers, random), pick(peers, random), pick(peers, random)];
  const sentences = source.sentences.filter(() => random() < 0.5);
  if (sentences.length === 0) sentences.push(pick(source.sentences, random));
  for (const partner of partners) sentences.push(pick(partner.sentences, random));
  const words = shuffle(sentences, random)
    .join(' ')
    .split(' ')
    .map((word) => (random() < 0.08 ? pick(pick(partners, random).words, random) : word));
  const titleWords = source.titleWords.map((word) =>
    random() < 0.3 ? pick((partners[0] as Source).titleWords, random) : word,
  );
  const authors = shuffle([...source.authors], random)
    .slice(0, 1 + Math.floor(random() * Math.min(8, source.authors.length)))
    .concat(partners.slice(0, Math.floor(random() * 3)).map((partner) => pick(partner.authors, random)))
    .filter((name) => name?.trim());
  const { id, year, month } = syntheticId(index);
  const day = 1 + Math.floor(random() * 28);
  const created = new Date(Date.UTC(year, month - 1, day, Math.floor(random() * 24)));
  return {
    id,
    submitter: null,
    authors: authors.join(', '),
    title: titleWords.join(' '),
    comments: null,
    'journal-ref': null,
    doi: null,
    license: null,
    abstract: words.join(' '),
    categories: source.categories.join(' '),
    versions: [{ version: 'v1', created: created.toUTCString() }],
    update_date: created.toISOString().slice(0, 10),
    authors_parsed: authors.map((name) => {
      const parts = name.trim().split(/\s+/);
      return [parts.at(-1) ?? '', parts.slice(0, -1).join(' '), ''];
    }),
  };
}

/** Writes the shards unless they are all there; returns their paths. */
export async function ensureCorpus(log: (line: string) => void): Promise<string[]> {
  const paths = Array.from({ length: CORPUS_SHARDS }, (_, shard) => shardPath(shard));
  if (paths.every((path) => existsSync(path))) {
    log(`reusing the corpus shards in ${CORPUS_DIR}`);
    return paths;
  }
  mkdirSync(CORPUS_DIR, { recursive: true });
  const started = performance.now();
  const sources = await loadSources();
  const byCategory = new Map<string, Source[]>();
  for (const source of sources) {
    const category = source.categories[0] as string;
    const peers = byCategory.get(category) ?? [];
    peers.push(source);
    byCategory.set(category, peers);
  }
  const synthetic = LARGE_CORPUS_PAPERS - EXPECTED_PAPERS;
  const perShard = Math.ceil(synthetic / CORPUS_SHARDS);
  log(`${sources.length} source papers, ${synthetic.toLocaleString('en-US')} synthetic papers to write`);
  for (let shard = 0; shard < CORPUS_SHARDS; shard++) {
    const temporary = `${paths[shard]}.partial`;
    const out = createWriteStream(temporary);
    let chunk = '';
    for (let index = shard * perShard; index < Math.min(synthetic, (shard + 1) * perShard); index++) {
      // Variant `round` of every source in turn, so each shard mixes all topics.
      const source = sources[index % sources.length] as Source;
      const round = Math.floor(index / sources.length);
      const peers = byCategory.get(source.categories[0] as string) ?? sources;
      const random = seededRandom(Math.imul(index + 1, 0x9e3779b1) ^ round);
      chunk += `${JSON.stringify(variant(source, peers.length > 3 ? peers : sources, index, random))}\n`;
      if (chunk.length > 1 << 20) {
        if (!out.write(chunk)) await once(out, 'drain');
        chunk = '';
      }
    }
    out.end(chunk);
    await once(out, 'finish');
    renameSync(temporary, paths[shard] as string);
    log(`wrote ${paths[shard]} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }
  return paths;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  parseArgs({ options: {} });
  await ensureCorpus((line) => console.log(`[generate:corpus] ${line}`));
}
