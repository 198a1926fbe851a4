import { type Embedder, paperText } from '../embeddings/embedder.ts';
import { HttpEmbedder } from '../embeddings/http-embedder.ts';
import type { LsaModel, LsaTraining } from '../embeddings/lsa-model.ts';
import { trainLsa } from '../embeddings/lsa-model.ts';
import { embedderFromStored } from '../embeddings/stored-embedder.ts';
import type { Store } from '../store/store.ts';

const BATCH = 2_000;
/** Papers read to train the model: a larger corpus adds little and costs minutes. */
const MAX_TRAINING_PAPERS = 200_000;

/** Trains a new model on the store's papers and installs it (dropping the old model's vectors). */
export async function trainEmbeddingModel(
  store: Store,
  options: Partial<LsaTraining> & { onProgress?: (step: string) => void } = {},
): Promise<LsaModel> {
  const texts: string[] = [];
  const total = await store.papers.countPapers();
  const step = Math.max(1, Math.ceil(total / MAX_TRAINING_PAPERS));
  let seen = 0;
  for (let after = 0; ; ) {
    const papers = await store.vectors.listPaperTexts(after, BATCH);
    if (papers.length === 0) break;
    for (const paper of papers) if (seen++ % step === 0) texts.push(paperText(paper));
    after = papers[papers.length - 1]?.position ?? after;
  }
  const model = trainLsa(texts, {
    dimensions: options.dimensions ?? 256,
    minDocuments: options.minDocuments ?? 3,
    powerIterations: options.powerIterations ?? 3,
    ...(options.onProgress && { onProgress: options.onProgress }),
  });
  await store.vectors.setEmbeddingModel(model.model, model.serialize());
  return model;
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
 * Embeds every paper that has no vector from the model yet, in committed batches (so a kill loses little). One
 * pass in paper order: a paper whose text changes behind the pass is embedded by the next run.
 */
export async function embedMissingPapers(
  store: Store,
  embedder: Embedder,
  onProgress?: (done: number, total: number) => void,
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
  return done;
}
