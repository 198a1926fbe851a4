// The thread of trainInBackground: trains a model on the store's papers and embeds them all.
import { parentPort, workerData } from 'node:worker_threads';
import type { DatabaseLocation } from '../config.ts';
import { openStore } from '../store/open-store.ts';
import type { TrainingResult } from './background-training.ts';
import { embedMissingPapers, trainEmbeddingModel } from './embed-papers.ts';

const store = await openStore(workerData as DatabaseLocation);
try {
  const model = await trainEmbeddingModel(store);
  const embedded = await embedMissingPapers(store, model);
  parentPort?.postMessage({ model: model.model, embedded } satisfies TrainingResult);
} finally {
  await store.close();
}
