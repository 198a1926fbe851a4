// A `dailypapers serve` child process for benchmarks: no sample papers, no digest mail, ready when /healthz answers.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { freePort } from '../../scripts/lib/free-port.ts';
import { MALLOC_SETTINGS } from '../../src/cli/malloc-settings.ts';
import { CLI, ROOT } from './full-data.ts';

export interface RunningServer {
  child: ChildProcess;
  base: string;
  output: () => string;
}

export async function startBenchServer(
  databaseUrl: string,
  log: (line: string) => void,
  extraArgs: string[] = [],
  extraEnv: Record<string, string> = {},
  /** How long its start may take (web processes loading what they need from a large database take minutes). */
  startSeconds = 120,
): Promise<RunningServer> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, 'serve', '--port', String(port), ...extraArgs], {
    cwd: ROOT,
    // No digest mail from a benchmark server, whatever SMTP_URL says.
    env: {
      // glibc's malloc as `npm start` sets it (a setting given in the environment wins).
      ...MALLOC_SETTINGS,
      ...process.env,
      DATABASE_URL: databaseUrl,
      LOAD_SAMPLE: 'never',
      HOST: '127.0.0.1',
      DIGEST_SCHEDULER: 'off',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const server = { child, base: `http://127.0.0.1:${port}`, output: () => output };
  const deadline = Date.now() + startSeconds * 1000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`the server exited before answering /healthz:\n${output}`);
    try {
      const response = await fetch(`${server.base}/healthz`);
      if (response.ok) {
        const health = (await response.json()) as { papers: number };
        log(
          `server pid ${child.pid} on ${server.base}, /healthz reports ${health.papers.toLocaleString('en-US')} papers after ${((performance.now() - started) / 1000).toFixed(1)} s`,
        );
        return server;
      }
    } catch {
      // not listening yet
    }
    await new Promise((done) => setTimeout(done, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`the server did not answer /healthz within ${startSeconds} s:\n${output}`);
}

export async function stopBenchServer(server: RunningServer): Promise<void> {
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
