import { SemanticIndex } from '../../src/search-index/semantic-index.ts';
import {
  embedMissingPapers,
  loadEmbeddingModel,
  trainCheckedModel,
} from '../../src/services/embed-papers.ts';
import type { Store } from '../../src/store/store.ts';

/** The store's semantic index, training the model and embedding the papers first when needed. */
export async function openSemanticForBench(
  store: Store,
  log: (line: string) => void,
): Promise<SemanticIndex> {
  let embedder = await loadEmbeddingModel(store);
  if (!embedder) {
    const started = performance.now();
    log('training the built-in embedding model on all papers');
    const outcome = await trainCheckedModel(store, { onProgress: (step) => log(`  ${step}`) });
    embedder = outcome.inUse;
    log(
      `trained ${embedder.model} in ${((performance.now() - started) / 1000).toFixed(1)} s; quality (title → abstract MRR@10 on held-out papers) ${outcome.score.toFixed(3)}`,
    );
  }
  const started = performance.now();
  const embedded = await embedMissingPapers(store, embedder);
  if (embedded > 0) {
    const seconds = (performance.now() - started) / 1000;
    log(
      `embedded ${embedded} papers in ${seconds.toFixed(1)} s (${Math.round(embedded / seconds)} papers/s)`,
    );
  }
  const semantic = await SemanticIndex.open(store);
  if (!semantic) throw new Error('no embedding model after training');
  // Measure what the site serves: the approximate index once it is built.
  await semantic.partitioning;
  log(`semantic index: ${semantic.size} vectors of ${embedder.model}`);
  return semantic;
}
