import { createHash } from 'node:crypto';
import {
  ClusteredLsaModel,
  type ClusteredTraining,
  DEFAULT_CLUSTERED,
  trainClusteredLsa,
} from '../embeddings/clustered-lsa-model.ts';
import { type Embedder, paperText } from '../embeddings/embedder.ts';
import { HttpEmbedder } from '../embeddings/http-embedder.ts';
import { DEFAULT_LSA, LsaModel } from '../embeddings/lsa-model.ts';
import { QUALITY_SAMPLE, titleToAbstractScore } from '../embeddings/model-quality.ts';
import { embedderFromStored } from '../embeddings/stored-embedder.ts';
import type { Store } from '../store/store.ts';
import type { VectorIndexProgress } from '../store/vectors.ts';

const BATCH = 2_000;
/** Papers read to train the model: a larger corpus adds little and costs minutes. */
const MAX_TRAINING_PAPERS = 200_000;

export interface TrainedModel {
  trained: LsaModel | ClusteredLsaModel;
  /** The site's model now: the new one, or the one it kept because the new one scored below it. */
  inUse: Embedder;
  installed: boolean;
  /** Title → abstract MRR@10 on the held-out papers (`titleToAbstractScore`), of the new model and the old. */
  score: number;
  currentScore: number | null;
}

interface TrainingTexts {
  texts: string[];
  heldOut: Array<{ title: string; abstract: string }>;
}

/**
 * The papers to train on (every n-th beyond MAX_TRAINING_PAPERS), less a held-out sample spread evenly over the
 * site (a twentieth of a small site, at most QUALITY_SAMPLE papers) that the quality check uses.
 */
async function trainingTexts(store: Store): Promise<TrainingTexts> {
  const total = await store.papers.countPapers();
  const step = Math.max(1, Math.ceil(total / MAX_TRAINING_PAPERS));
  const holdEvery = Math.max(20, Math.ceil(total / QUALITY_SAMPLE));
  const result: TrainingTexts = { texts: [], heldOut: [] };
  let seen = 0;
  for (let after = 0; ; ) {
    const papers = await store.vectors.listPaperTexts(after, BATCH);
    if (papers.length === 0) break;
    for (const paper of papers) {
      const index = seen++;
      if (index % holdEvery === holdEvery - 1) result.heldOut.push(paper);
      else if (index % step === 0) result.texts.push(paperText(paper));
    }
    after = papers[papers.length - 1]?.position ?? after;
  }
  return result;
}

/** Names a training run by what it is trained on and how: a run of the same names resumes an interrupted one. */
function trainingRun(texts: string[], training: ClusteredTraining): string {
  const hash = createHash('sha256').update(JSON.stringify(training));
  for (const text of texts) hash.update(text).update('\0');
  return hash.digest('hex');
}

/** The site's model's score on the held-out papers, or null when there is none or it cannot be used. */
async function currentScore(store: Store, heldOut: TrainingTexts['heldOut']): Promise<number | null> {
  const stored = await store.vectors.getEmbeddingModel();
  if (!stored) return null;
  try {
    return await titleToAbstractScore(embedderFromStored(stored), heldOut);
  } catch {
    return null;
  }
}

/**
 * A new model trained on the store's papers (resuming an interrupted run of the same training), and the held-out
 * papers to measure it on: the training texts (some 100 MB at 80k papers) are let go on return.
 */
async function trainOnSite(
  store: Store,
  training: ClusteredTraining,
): Promise<{ unmeasured: LsaModel | ClusteredLsaModel; heldOut: TrainingTexts['heldOut'] }> {
  const { texts, heldOut } = await trainingTexts(store);
  const run = trainingRun(texts, training);
  const unmeasured = await trainClusteredLsa(texts, training, {
    saved: await store.vectors.trainingParts(run),
    save: (part, data) => store.vectors.saveTrainingPart(run, part, data),
  });
  await store.vectors.dropTrainingParts();
  return { unmeasured, heldOut };
}

/**
 * Trains a new model on the store's papers and installs it (dropping the old model's vectors) unless it finds
 * held-out papers from their titles worse than the model in use does; `force` installs it regardless. The model
 * in use is measured and let go before the new one is stored: two large models are not held at once.
 */
export async function trainCheckedModel(
  store: Store,
  options: Partial<ClusteredTraining> & { force?: boolean } = {},
): Promise<TrainedModel> {
  const { unmeasured, heldOut } = await trainOnSite(store, {
    ...DEFAULT_LSA,
    ...DEFAULT_CLUSTERED,
    ...options,
  });
  const score = await titleToAbstractScore(unmeasured, heldOut);
  // Stored with the model: search weighs meaning by it (domain/score-fusion.ts).
  const trained = unmeasured.withQuality(score);
  const current = await currentScore(store, heldOut);
  const installed = options.force === true || current === null || score >= current;
  if (installed) await store.vectors.setEmbeddingModel(trained.model, trained.serialize());
  const inUse = installed ? trained : ((await loadEmbeddingModel(store)) ?? trained);
  return { trained, inUse, installed, score, currentScore: current };
}

/**
 * Measures the site's built-in model again on the held-out papers and stores the score with it (search weighs
 * meaning by it), keeping its vectors: for a model measured by an earlier version. Null without a built-in model.
 */
export async function measureModelAgain(
  store: Store,
): Promise<{ model: string; before: number | undefined; after: number } | null> {
  const stored = await store.vectors.getEmbeddingModel();
  const embedder = stored && embedderFromStored(stored);
  if (!(embedder instanceof LsaModel || embedder instanceof ClusteredLsaModel)) return null;
  const { heldOut } = await trainingTexts(store);
  const after = await titleToAbstractScore(embedder, heldOut);
  await store.vectors.setEmbeddingModel(embedder.model, embedder.withQuality(after).serialize());
  return { model: embedder.model, before: embedder.quality, after };
}

/** Trains a new model (see `trainCheckedModel`) and returns the site's model afterwards. */
export async function trainEmbeddingModel(
  store: Store,
  options: Partial<ClusteredTraining> & { force?: boolean } = {},
): Promise<Embedder> {
  return (await trainCheckedModel(store, options)).inUse;
}

/**
 * Makes an OpenAI-compatible embedding service the site's embedder (asking it once for its vectors' size). A
 * different service or model than the stored one drops the old vectors, so that every paper is embedded again.
 */
export async function useEmbeddingService(store: Store, url: string, name: string): Promise<HttpEmbedder> {
  const embedder = await HttpEmbedder.connect(url, name);
  const stored = await store.vectors.getEmbeddingModel();
  if (stored?.model !== embedder.model)
    await store.vectors.setEmbeddingModel(embedder.model, embedder.serialize());
  return embedder;
}

/** The store's model, ready to embed, or null before one was trained. */
export async function loadEmbeddingModel(store: Store): Promise<Embedder | null> {
  const stored = await store.vectors.getEmbeddingModel();
  return stored ? embedderFromStored(stored) : null;
}

/**
 * Embeds every paper that has no vector from the model yet, in committed batches (so a kill loses little), then
 * has the store index what it has not yet (see VectorStore.indexVectors). One pass in paper order: a paper whose
 * text changes behind the pass is embedded by the next run.
 */
export async function embedMissingPapers(
  store: Store,
  embedder: Embedder,
  onProgress?: (done: number, total: number) => void,
  indexing?: VectorIndexProgress,
): Promise<number> {
  const total = await store.vectors.countPapersToEmbed(embedder.model);
  let done = 0;
  for (let after = 0; ; ) {
    const papers = await store.vectors.papersToEmbed(embedder.model, after, BATCH);
    if (papers.length === 0) break;
    after = papers[papers.length - 1]?.position ?? after;
    const vectors = await embedder.embed(papers.map(paperText));
    await store.vectors.saveVectors(
      embedder.model,
      papers.map((paper, index) => ({ id: paper.id, vector: vectors[index] as Float32Array })),
    );
    done += papers.length;
    onProgress?.(done, total);
  }
  if (done > 0) await store.vectors.indexVectors(indexing);
  return done;
}
