import type { VectorIndexProgress, VectorIndexStep } from '../store/vectors.ts';
import { createProgress, type ProgressReporter } from './progress.ts';

export interface VectorIndexBars {
  progress: VectorIndexProgress;
  /**
   * Ends the last step's bar with its count and time, or, when no step started (the database had no vectors to
   * index), calls `otherwise` to end whatever bar is showing.
   */
  end(otherwise: () => void): void;
}

/**
 * A progress bar for each step of indexing vectors in the database (pgvector's copy, then its HNSW build), and
 * the database's notes as lines of their own; `beforeFirstStep` ends whatever bar was showing before.
 */
export function vectorIndexBars(beforeFirstStep?: () => void): VectorIndexBars {
  let step: { name: VectorIndexStep; bar: ProgressReporter; started: number; done: number } | undefined;
  const finish = () => {
    if (!step) return;
    const seconds = ((Date.now() - step.started) / 1000).toFixed(1);
    step.bar.stop(`pgvector: ${step.name}: ${step.done.toLocaleString('en-US')} in ${seconds} s`);
  };
  return {
    end: (otherwise) => (step ? finish() : otherwise()),
    progress: {
      onProgress(name, done, total) {
        if (step?.name !== name) {
          if (step) finish();
          else beforeFirstStep?.();
          step = {
            name,
            bar: createProgress({ label: `pgvector: ${name}`, total, noun: 'vectors' }),
            started: Date.now(),
            done: 0,
          };
        }
        step.done = done;
        step.bar.update(done, done);
      },
      onNote(line) {
        process.stderr.write(`pgvector: ${line}\n`);
      },
    },
  };
}
