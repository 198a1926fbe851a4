// Resident memory of each web process of `serve --workers N` after hybrid searches through all of them: shared by
// bench:worker-memory and bench:stores.
import { readFileSync } from 'node:fs';
import { childPids } from '../../scripts/lib/child-pids.ts';
import { startBenchServer, stopBenchServer } from './bench-server.ts';

const QUERIES = [
  'diffusion models for video',
  'robot grasping',
  'protein folding',
  'retrieval augmented generation',
];

/** Resident set of a process, MiB (VmRSS in /proc). */
function rssMib(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? 0) / 1024;
}

/** Each web process's RSS (MiB) after `searches` hybrid searches, so each has loaded what search needs. */
export async function workerRss(
  databaseUrl: string,
  options: { workers: number; searches: number; env?: Record<string, string>; startSeconds?: number },
  log: (line: string) => void,
): Promise<number[]> {
  const server = await startBenchServer(
    databaseUrl,
    log,
    ['--workers', String(options.workers)],
    options.env,
    options.startSeconds,
  );
  try {
    const deadline = Date.now() + Math.max(300, options.startSeconds ?? 0) * 1000;
    while (
      childPids(server.child.pid as number).length < options.workers ||
      !/web processes\)/.test(server.output())
    ) {
      if (Date.now() > deadline) throw new Error(`the web processes did not start:\n${server.output()}`);
      await new Promise((done) => setTimeout(done, 500));
    }
    log(server.output().trim());
    for (let i = 0; i < options.searches; i++) {
      const response = await fetch(
        `${server.base}/search?q=${encodeURIComponent(QUERIES[i % QUERIES.length] ?? '')}`,
      );
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`search answered ${response.status}`);
    }
    return childPids(server.child.pid as number).map(rssMib);
  } finally {
    await stopBenchServer(server);
  }
}

/** `260 MiB max, 225 MiB mean` */
export const rssSummary = (values: readonly number[]) =>
  `${Math.round(Math.max(...values))} MiB max, ${Math.round(values.reduce((a, b) => a + b, 0) / values.length)} MiB mean`;
