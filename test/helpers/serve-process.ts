import { type ChildProcess, spawn } from 'node:child_process';
import { after } from 'node:test';
import { freePort } from '../../scripts/lib/free-port.ts';
import type { SiteClient } from '../../scripts/lib/http-client.ts';
import { CLI } from './cli.ts';
import { type Mailbox, outboxMailbox } from './mailbox.ts';
import { tempDir } from './temp.ts';

export interface RunningSite {
  child: ChildProcess;
  baseUrl: string;
  /** The mail the site wrote to its outbox. */
  mailbox: Mailbox;
  output(): string;
  /** Waits for a line of the server's log (stderr) matching `pattern`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
}

/**
 * `dailypapers serve` in a child process on a free port, killed when the test file ends; `cli` is how node runs the
 * CLI (the TypeScript through tsx unless told).
 */
export async function startServe(
  args: string[],
  env: NodeJS.ProcessEnv,
  cli: string[] = ['--import', 'tsx', CLI],
): Promise<RunningSite> {
  const port = await freePort();
  const outbox = tempDir();
  const child = spawn(process.execPath, [...cli, 'serve', '--port', String(port), ...args], {
    // FETCH_IMAGES off: tests never reach the internet (the sample's images are on Hugging Face's servers).
    env: { ...process.env, MAIL_OUTBOX: outbox, DIGEST_SCHEDULER: 'off', FETCH_IMAGES: 'off', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  after(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  return {
    child,
    baseUrl: `http://127.0.0.1:${port}`,
    mailbox: outboxMailbox(outbox),
    output: () => stderr,
    async waitFor(pattern, timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(stderr)) {
        if (child.exitCode !== null) throw new Error(`serve exited ${child.exitCode}:\n${stderr}`);
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}:\n${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
  };
}

/**
 * Asks for `path` until `times` answers in a row match `pattern` (a background job finished, in every web process
 * answering), up to two minutes.
 */
export async function pageWhen(
  client: SiteClient,
  path: string,
  pattern: RegExp,
  times = 1,
): Promise<string> {
  let inARow = 0;
  for (const deadline = Date.now() + 120_000; ; ) {
    const page = await (await client.get(path)).text();
    inARow = pattern.test(page) ? inARow + 1 : 0;
    if (inARow === times) return page;
    if (Date.now() > deadline) throw new Error(`${path} never matched ${pattern} ${times} times in a row`);
    if (inARow === 0) await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
