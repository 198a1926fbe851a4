// Runs the real site in-process on a free loopback port with a throwaway database: SQLite, or PostgreSQL.
import { join } from 'node:path';
import { freePort } from '../../scripts/lib/free-port.ts';
import { type Config, loadConfig } from '../../src/config.ts';
import type { PaperRecord } from '../../src/domain/paper.ts';
import { openSemanticSearch } from '../../src/search-index/open-semantic-search.ts';
import type { SemanticSearch } from '../../src/search-index/semantic-search.ts';
import { embedMissingPapers, trainEmbeddingModel } from '../../src/services/embed-papers.ts';
import { loadSampleIfEmpty } from '../../src/services/load-sample.ts';
import { openStore } from '../../src/store/open-store.ts';
import type { Store } from '../../src/store/store.ts';
import { buildServer } from '../../src/web/server.ts';
import { freshDatabase, type StoreDatabase, type StoreKind } from './stores.ts';
import { tempDir } from './temp.ts';

export interface RunningSite {
  url: string;
  store: Store;
  config: Config;
  close(): Promise<void>;
}

export async function startSite(
  options: {
    /** The database the site runs on (default SQLite); ignored when env sets DATABASE_URL. */
    store?: StoreKind;
    env?: Record<string, string>;
    records?: PaperRecord[];
    sample?: boolean;
    /** Load papers, then train an embedding model on them for semantic search. */
    prepare?: (store: Store) => Promise<void>;
    semantic?: boolean;
  } = {},
): Promise<RunningSite> {
  const port = await freePort();
  // A fresh PostgreSQL database of its own (dropped on close), reached like production: through DATABASE_URL.
  const database: StoreDatabase | null =
    options.store && options.store !== 'sqlite' && !options.env?.DATABASE_URL
      ? await freshDatabase(options.store)
      : null;
  const config = loadConfig({
    PORT: String(port),
    DATABASE_URL: join(tempDir(), 'site.db'),
    ...database?.env,
    BASE_URL: `http://127.0.0.1:${port}`,
    LOAD_SAMPLE: 'never',
    ...options.env,
  });
  // Opened from DATABASE_URL like `dailypapers serve` does.
  const store = await openStore(config.database);
  if (options.sample) await loadSampleIfEmpty(store);
  if (options.records) await store.writeBatch(options.records);
  await options.prepare?.(store);
  let semantic: SemanticSearch | null = null;
  if (options.semantic) {
    const model = await trainEmbeddingModel(store, { dimensions: 32 });
    await embedMissingPapers(store, model);
    semantic = await openSemanticSearch(store);
  }
  const app = await buildServer({ store, config, semantic });
  await app.listen({ port, host: '127.0.0.1' });
  return {
    url: `http://127.0.0.1:${port}`,
    store,
    config,
    async close() {
      await app.close();
      await store.close();
      await database?.release();
    },
  };
}
