// npm run eval:models — the built-in embedding model's variants side by side on the SciFact dev claims, semantic
// search alone, exact cosine over every paper (no index, no store): the quick way to compare model choices before
// running the whole `eval:search -- --set scifact-dev`. Trained models are kept under data/models/ by their
// settings, so a second run only measures.
//   --mixed            the corpus mixed with the 74,728 arXiv papers of the shared data (else the corpus alone)
//   --dimensions N     LSA dimensions (of each cluster's model when clustered); default 256
//   --per-cluster N    papers per cluster (0: one model); --global N its whole-collection model's dimensions
//   --terms words|stems
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import {
  ClusteredLsaModel,
  DEFAULT_CLUSTERED,
  trainClusteredLsa,
} from '../src/embeddings/clustered-lsa-model.ts';
import type { Embedder } from '../src/embeddings/embedder.ts';
import { DEFAULT_LSA, type TermKind } from '../src/embeddings/lsa-model.ts';
import { embedderFromStored } from '../src/embeddings/stored-embedder.ts';
import { ROOT, SHARED_DATA } from './lib/full-data.ts';
import { plainQuery } from './lib/plain-query.ts';
import { ndcg, scifactCorpus, scifactQueries } from './lib/scifact.ts';

const { values } = parseArgs({
  options: {
    mixed: { type: 'boolean', default: false },
    dimensions: { type: 'string', default: String(DEFAULT_LSA.dimensions) },
    'per-cluster': { type: 'string', default: String(DEFAULT_CLUSTERED.papersPerCluster) },
    global: { type: 'string', default: String(DEFAULT_CLUSTERED.globalDimensions) },
    'local-weights': { type: 'string', default: '0,0.5,0.8,1' },
    terms: { type: 'string', default: DEFAULT_LSA.terms ?? 'stems' },
  },
});
const log = (line: string) => console.log(`[eval:models] ${line}`);

/** Paper ids and texts: the SciFact corpus, then the arXiv papers when mixed. */
function collection(): { ids: string[]; texts: string[] } {
  const ids: string[] = [];
  const texts: string[] = [];
  const add = (line: string) => {
    if (!line) return;
    const record = JSON.parse(line) as { id: string; title: string; summary: string };
    ids.push(record.id);
    texts.push(`${record.title}\n${record.summary}`);
  };
  readFileSync(scifactCorpus().file, 'utf8').split('\n').forEach(add);
  if (values.mixed)
    gunzipSync(readFileSync(join(SHARED_DATA, 'arxiv-listings-2025-2026.jsonl.gz')))
      .toString('utf8')
      .split('\n')
      .forEach(add);
  return { ids, texts };
}

async function trainedModel(texts: string[], localWeight: number): Promise<Embedder> {
  const settings = `${values.mixed ? 'mixed' : 'alone'}-${values.terms}-${values.dimensions}-${values['per-cluster']}-${values.global}`;
  const file = join(ROOT, 'data/models', `${settings}.bin`);
  if (!existsSync(file)) {
    const started = performance.now();
    const model = await trainClusteredLsa(texts, {
      ...DEFAULT_LSA,
      dimensions: Number(values.dimensions),
      terms: values.terms as TermKind,
      papersPerCluster: Number(values['per-cluster']) || Number.POSITIVE_INFINITY,
      globalDimensions: Number(values.global),
      localWeight: DEFAULT_CLUSTERED.localWeight,
      onProgress: (step) => log(`  ${step}`),
    });
    log(`trained ${model.model} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    mkdirSync(join(ROOT, 'data/models'), { recursive: true });
    writeFileSync(file, model.serialize());
  }
  const stored = embedderFromStored({ model: settings, data: readFileSync(file) });
  return stored instanceof ClusteredLsaModel
    ? new ClusteredLsaModel(stored.global, stored.centroids, stored.locals, localWeight, settings)
    : stored;
}

const { ids, texts } = collection();
const queries = scifactQueries(scifactCorpus().ids);
log(`${texts.length} papers, ${queries.length} claims`);
for (const localWeight of values['local-weights'].split(',').map(Number)) {
  const model = (await trainedModel(texts, localWeight)) as Embedder & {
    embedOne(text: string): Float32Array;
  };
  const k = model.dimensions;
  const vectors = new Float32Array(texts.length * k);
  texts.forEach((text, i) => vectors.set(model.embedOne(text), i * k));
  let gain = 0;
  for (const query of queries) {
    const vector = model.embedOne(plainQuery(query.text));
    const scores = new Float32Array(texts.length);
    for (let i = 0; i < texts.length; i++) {
      let score = 0;
      for (let d = 0; d < k; d++) score += (vector[d] as number) * (vectors[i * k + d] as number);
      scores[i] = score;
    }
    const top = [...scores.keys()].sort((a, b) => (scores[b] as number) - (scores[a] as number)).slice(0, 10);
    gain += ndcg(
      top.map((i) => ids[i] as string),
      query.relevant,
      10,
    );
  }
  log(
    `| ${values.mixed ? 'mixed' : 'alone'} | ${values.terms} | ${values.dimensions} | ${values['per-cluster']} | ${'localWeight' in model ? localWeight : '-'} | ${(gain / queries.length).toFixed(3)} |`,
  );
  if (!('localWeight' in model)) break;
}
