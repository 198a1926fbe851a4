import type { Worker } from 'node:worker_threads';
import { type SearchQuery, SearchQueryError } from '../../domain/search-query.ts';
import type { WordMatch } from '../../domain/word-matching.ts';
import { startTypeScriptWorker } from '../../typescript-worker.ts';
import { isCostlySearch } from '../costly-search.ts';
import type { IndexTerm } from '../index-words.ts';
import type { KeywordHit } from '../papers.ts';
import type { MatchCount, MatchOrder, SortedMatch } from '../search-matches.ts';
import { StoreUnavailableError } from '../store.ts';

export interface KeywordSearchWorkerData {
  path: string;
  cacheMb: number;
}
/** What the thread is asked: a keyword ranking, or one of the exact match queries (store/search-matches.ts). */
export type KeywordThreadTask =
  | { kind: 'search'; query: SearchQuery; limit: number }
  | { kind: 'count'; query: SearchQuery; match: WordMatch; bound: number }
  | { kind: 'sorted'; query: SearchQuery; match: WordMatch; order: MatchOrder; limit: number }
  | { kind: 'matching'; query: SearchQuery; match: WordMatch; ids: string[] }
  | { kind: 'vocabulary'; minPapers: number }
  | { kind: 'texts'; term: string; limit: number };
/** The answer to each kind of task. */
export interface KeywordThreadResults {
  search: KeywordHit[];
  count: MatchCount;
  sorted: SortedMatch[];
  matching: string[];
  vocabulary: IndexTerm[];
  texts: string[];
}
export type KeywordSearchRequest = { id: number; task: KeywordThreadTask };
export type KeywordSearchResponse =
  | { id: number; result: unknown }
  | { id: number; error: string; queryError: boolean };

interface Pending {
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
}

/**
 * Keyword search on a thread of its own with its own connection, so that hybrid search ranks keywords and scans
 * vectors at the same time on a second core. Started on first use; searches queue in order. With `stopWhenIdleMs`,
 * a thread that has had nothing to do for that long stops, giving back its heap and page cache (some 25 MB), and
 * the next task starts it again (about 90 ms).
 */
export class KeywordSearchThread {
  private worker: Worker | null = null;
  private ready: Promise<void> | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;
  private idleStop: NodeJS.Timeout | null = null;

  /** Searches sent and not answered yet. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** Whether the thread is running (started and not stopped since). */
  get running(): boolean {
    return this.worker !== null;
  }

  constructor(
    private readonly data: KeywordSearchWorkerData,
    private readonly stopWhenIdleMs?: number,
  ) {}

  async run<T extends KeywordThreadTask>(task: T): Promise<KeywordThreadResults[T['kind']]> {
    this.cancelIdleStop();
    const worker = this.closed ? null : await this.start();
    // Closed meanwhile too: close() failed what was pending, and nothing would answer this.
    if (!worker || this.closed) throw new Error('keyword search: the store is closed');
    const id = this.nextId++;
    const result = new Promise<unknown>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    worker.ref();
    worker.postMessage({ id, task } satisfies KeywordSearchRequest);
    return result as Promise<KeywordThreadResults[T['kind']]>;
  }

  /** Asks the thread to checkpoint the WAL (see KeywordSearchThreads.checkpointEvery); starts it if needed. */
  async checkpoint(): Promise<void> {
    if (this.closed) return;
    const worker = await this.start();
    this.unrefIfIdle(worker);
    worker.postMessage({ checkpoint: true });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.cancelIdleStop();
    const worker = this.worker;
    this.worker = null;
    this.ready = null;
    this.failAll(new Error('the store was closed during a keyword search'));
    if (worker) await worker.terminate();
  }

  private start(): Promise<Worker> {
    if (!this.ready) {
      const worker = startTypeScriptWorker(new URL('./keyword-search-worker.ts', import.meta.url), {
        workerData: this.data,
      });
      this.worker = worker;
      this.ready = new Promise<void>((resolve, reject) => {
        worker.once('message', () => resolve());
        worker.once('error', reject);
        // Terminated by close() before it was ready: what waits for it must not wait forever.
        worker.once('exit', () => reject(new Error('keyword search: the thread stopped')));
      });
      worker.on('message', (message: KeywordSearchResponse | { ready: true }) => {
        if (!('id' in message)) return;
        const pending = this.pending.get(message.id);
        this.pending.delete(message.id);
        this.unrefIfIdle(worker);
        if ('error' in message)
          pending?.reject(
            message.queryError
              ? new SearchQueryError(message.error)
              : new Error(`keyword search failed: ${message.error}`),
          );
        else pending?.resolve(message.result);
      });
      worker.on('error', (error) => {
        // A crashed thread is started again by the next search.
        if (this.worker === worker) {
          this.worker = null;
          this.ready = null;
        }
        this.failAll(error);
      });
    }
    const worker = this.worker as Worker;
    return this.ready.then(() => worker);
  }

  /**
   * Lets the process exit while the thread waits for work. Never a thread that close() is terminating: unref'd, it
   * would leave the event loop empty before its exit, ending the process with close() still awaited.
   */
  private unrefIfIdle(worker: Worker): void {
    if (worker !== this.worker || this.pending.size > 0) return;
    worker.unref();
    if (this.stopWhenIdleMs === undefined) return;
    this.cancelIdleStop();
    this.idleStop = setTimeout(() => this.stopIdle(worker), this.stopWhenIdleMs).unref();
  }

  private stopIdle(worker: Worker): void {
    this.idleStop = null;
    if (worker !== this.worker || this.pending.size > 0) return;
    this.worker = null;
    this.ready = null;
    void worker.terminate();
  }

  private cancelIdleStop(): void {
    if (this.idleStop) clearTimeout(this.idleStop);
    this.idleStop = null;
  }

  private failAll(error: Error): void {
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}

/**
 * The costly lane's thread runs only when costly searches or a burst of plain ones need it; restarting it costs
 * about 90 ms of CPU, so stopping it after this long idle spends under 1 % of a core however the traffic comes.
 */
const COSTLY_LANE_IDLE_STOP_MS = 10_000;

/**
 * Keyword search threads in two lanes. Searches with filters or exclusions (the costly kind: each condition is
 * checked on thousands of candidates) queue on one thread only, at most `maxCostly` waiting there, so however many
 * of them arrive, plain searches keep another thread; plain searches go to whichever thread has fewer waiting. A
 * search beyond the bounds is refused at once (StoreUnavailableError: 503) instead of queued for seconds.
 */
export class KeywordSearchThreads {
  private readonly plain: KeywordSearchThread;
  private readonly costly: KeywordSearchThread;
  private checkpoints: NodeJS.Timeout | null = null;

  constructor(
    data: KeywordSearchWorkerData,
    private readonly bounds: { maxCostly: number; maxWaiting: number },
  ) {
    this.plain = new KeywordSearchThread(data);
    this.costly = new KeywordSearchThread(data, COSTLY_LANE_IDLE_STOP_MS);
  }

  search(query: SearchQuery, limit: number): Promise<KeywordHit[]> {
    return this.run({ kind: 'search', query, limit });
  }

  /** Runs a task on the lane its query belongs to (see the class comment); the vocabulary's tasks are costly. */
  run<T extends KeywordThreadTask>(task: T): Promise<KeywordThreadResults[T['kind']]> {
    const waiting = this.plain.pendingCount + this.costly.pendingCount;
    const isCostly = !('query' in task) || isCostlySearch(task.query);
    if (waiting >= this.bounds.maxWaiting || (isCostly && this.costly.pendingCount >= this.bounds.maxCostly))
      return Promise.reject(new StoreUnavailableError(1, 'search'));
    const thread = isCostly || this.costly.pendingCount < this.plain.pendingCount ? this.costly : this.plain;
    return thread.run(task);
  }

  /**
   * Checkpoints the WAL on the plain thread every `ms`, for a main connection that never checkpoints on commit
   * (`wal_autocheckpoint = 0`): SQLite's automatic checkpoint runs inside the commit that crosses the threshold, on
   * the event loop, and after an import's batches in another process it copies megabytes.
   */
  checkpointEvery(ms: number): void {
    this.checkpoints = setInterval(() => {
      this.plain.checkpoint().catch(() => {});
    }, ms);
    this.checkpoints.unref();
  }

  async close(): Promise<void> {
    if (this.checkpoints) clearInterval(this.checkpoints);
    await Promise.all([this.plain.close(), this.costly.close()]);
  }
}
