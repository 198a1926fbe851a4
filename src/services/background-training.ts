import type { DatabaseLocation } from '../config.ts';
import { startTypeScriptWorker } from '../typescript-worker.ts';

export interface TrainingResult {
  model: string;
  /** Papers embedded with the new model. */
  embedded: number;
}

/**
 * Trains the site's embedding model and embeds every paper with it on a thread of its own (with its own
 * connection), so that a server keeps answering while the CPU-bound training runs. Aborting stops the thread (a
 * model already saved stays; `index --embed` embeds the papers left).
 */
export function trainInBackground(database: DatabaseLocation, signal: AbortSignal): Promise<TrainingResult> {
  const worker = startTypeScriptWorker(new URL('./background-training-worker.ts', import.meta.url), {
    workerData: database,
  });
  signal.addEventListener('abort', () => void worker.terminate(), { once: true });
  return new Promise((resolve, reject) => {
    let result: TrainingResult | null = null;
    worker.once('message', (message: TrainingResult) => {
      result = message;
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (result) resolve(result);
      else reject(new Error(`the training thread stopped (exit ${code})`));
    });
  });
}
