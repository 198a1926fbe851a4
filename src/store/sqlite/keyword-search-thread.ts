import type { Worker } from 'node:worker_threads';
import type { SearchQuery } from '../../domain/search-query.ts';
import { startTypeScriptWorker } from '../../typescript-worker.ts';
import type { KeywordHit } from '../store.ts';

export interface KeywordSearchWorkerData {
  path: string;
  cacheMb: number;
}
export interface KeywordSearchRequest {
  id: number;
  query: SearchQuery;
  limit: number;
}
export type KeywordSearchResponse = { id: number; hits: KeywordHit[] } | { id: number; error: string };

interface Pending {
  resolve: (hits: KeywordHit[]) => void;
  reject: (error: Error) => void;
}

/**
 * Keyword search on a thread of its own with its own connection, so that hybrid search ranks keywords and scans
 * vectors at the same time on a second core. Started on first use; searches queue in order.
 */
export class KeywordSearchThread {
  private worker: Worker | null = null;
  private ready: Promise<void> | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  constructor(private readonly data: KeywordSearchWorkerData) {}

  async search(query: SearchQuery, limit: number): Promise<KeywordHit[]> {
    if (this.closed) throw new Error('keyword search: the store is closed');
    const worker = await this.start();
    const id = this.nextId++;
    const hits = new Promise<KeywordHit[]>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    worker.ref();
    worker.postMessage({ id, query, limit } satisfies KeywordSearchRequest);
    return hits;
  }

  async close(): Promise<void> {
    this.closed = true;
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
      });
      worker.on('message', (message: KeywordSearchResponse | { ready: true }) => {
        if (!('id' in message)) return;
        const pending = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (this.pending.size === 0) worker.unref();
        if ('error' in message) pending?.reject(new Error(`keyword search failed: ${message.error}`));
        else pending?.resolve(message.hits);
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

  private failAll(error: Error): void {
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}
